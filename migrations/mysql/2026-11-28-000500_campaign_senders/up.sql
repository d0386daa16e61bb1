-- Senders of campaigns: see the SQLite twin for the commentary.

CREATE TABLE campaign_senders (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    name VARCHAR(200) NOT NULL,
    email VARCHAR(254) NOT NULL,
    verified_at DATETIME(6) NULL,
    mailed_at DATETIME(6) NOT NULL,
    created_by BIGINT NULL,
    created_at DATETIME(6) NOT NULL,
    UNIQUE KEY uq_campaign_senders_email (email),
    CONSTRAINT fk_campaign_senders_user FOREIGN KEY (created_by) REFERENCES users (id) ON DELETE SET NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
