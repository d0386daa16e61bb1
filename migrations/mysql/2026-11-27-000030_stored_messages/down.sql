-- Rows converted by up.sql keep their message only; they lose it here.
ALTER TABLE activities DROP COLUMN system_message;
ALTER TABLE audit_log DROP COLUMN summary_message;
ALTER TABLE import_errors DROP COLUMN problem_message;
-- Fails on a consent source longer than 100 characters (a message with a
-- long name); shorten those first.
ALTER TABLE contacts MODIFY consent_source VARCHAR(100) NULL;
