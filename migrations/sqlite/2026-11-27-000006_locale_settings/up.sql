-- See the MySQL migration.
ALTER TABLE users ADD COLUMN language TEXT NULL;
ALTER TABLE users ADD COLUMN time_zone TEXT NULL;

CREATE TABLE workspace_settings (
    id BIGINT NOT NULL PRIMARY KEY CHECK (id = 1),
    company_name TEXT NOT NULL,
    company_address TEXT NOT NULL,
    language TEXT NOT NULL,
    time_zone TEXT NOT NULL,
    currency TEXT NOT NULL,
    version BIGINT NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

INSERT INTO workspace_settings
    (id, company_name, company_address, language, time_zone, currency, version, updated_at)
VALUES (1, '', '', 'en', 'UTC', 'USD', 0, strftime('%Y-%m-%d %H:%M:%f', 'now'));
