ALTER TABLE workspace_settings DROP COLUMN quote_valid_days;
