-- Durable background jobs (claimed with leases, see docs/concurrency.md) and
-- the mail outbox delivered by them.

CREATE TABLE jobs (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    kind VARCHAR(40) NOT NULL,
    payload TEXT NOT NULL,
    -- At most one job per key (e.g. `import:42`); NULL for most jobs.
    dedupe_key VARCHAR(191) NULL,
    status VARCHAR(16) NOT NULL,
    attempts INT NOT NULL DEFAULT 0,
    max_attempts INT NOT NULL,
    run_at DATETIME(6) NOT NULL,
    locked_until DATETIME(6) NULL,
    locked_by VARCHAR(64) NULL,
    last_error VARCHAR(1000) NULL,
    created_at DATETIME(6) NOT NULL,
    updated_at DATETIME(6) NOT NULL,
    finished_at DATETIME(6) NULL,
    UNIQUE KEY ux_jobs_dedupe (dedupe_key),
    -- The claim: one kind, queued or running, due.
    KEY ix_jobs_claim (kind, status, run_at),
    -- The admin page: newest per status; purging old done jobs.
    KEY ix_jobs_status_updated (status, updated_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE mail_outbox (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    job_id BIGINT NOT NULL,
    message_id VARCHAR(300) NOT NULL,
    from_addr VARCHAR(400) NOT NULL,
    to_addr VARCHAR(400) NOT NULL,
    subject VARCHAR(500) NOT NULL,
    text_body MEDIUMTEXT NOT NULL,
    html_body MEDIUMTEXT NULL,
    -- Further headers as a JSON array of [name, value] pairs.
    headers TEXT NOT NULL,
    created_at DATETIME(6) NOT NULL,
    UNIQUE KEY ux_mail_outbox_job (job_id),
    KEY ix_mail_outbox_created (created_at),
    CONSTRAINT fk_mail_outbox_job FOREIGN KEY (job_id) REFERENCES jobs (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
