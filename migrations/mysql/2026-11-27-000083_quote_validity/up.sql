-- How many days a sent quote (and its public link) stays valid (issue 9).
ALTER TABLE workspace_settings ADD COLUMN quote_valid_days INT NOT NULL DEFAULT 30;
