-- Rows converted by up.sql keep their message only; they lose it here.
ALTER TABLE activities DROP COLUMN system_message;
ALTER TABLE audit_log DROP COLUMN summary_message;
ALTER TABLE import_errors DROP COLUMN problem_message;
