-- Language and time zone per user (NULL: follow the workspace), and the
-- workspace's one row of settings. Updates check `version` (optimistic).
ALTER TABLE users
    ADD COLUMN language VARCHAR(16) NULL,
    ADD COLUMN time_zone VARCHAR(64) NULL;

CREATE TABLE workspace_settings (
    id BIGINT NOT NULL PRIMARY KEY,
    company_name VARCHAR(200) NOT NULL,
    company_address VARCHAR(1000) NOT NULL,
    language VARCHAR(16) NOT NULL,
    time_zone VARCHAR(64) NOT NULL,
    currency VARCHAR(3) NOT NULL,
    version BIGINT NOT NULL,
    updated_at DATETIME(6) NOT NULL,
    CONSTRAINT ck_workspace_settings_one_row CHECK (id = 1)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

INSERT INTO workspace_settings
    (id, company_name, company_address, language, time_zone, currency, version, updated_at)
VALUES (1, '', '', 'en', 'UTC', 'USD', 0, UTC_TIMESTAMP(6));
