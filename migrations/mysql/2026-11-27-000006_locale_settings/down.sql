DROP TABLE workspace_settings;
ALTER TABLE users DROP COLUMN language, DROP COLUMN time_zone;
