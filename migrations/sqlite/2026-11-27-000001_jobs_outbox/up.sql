-- Durable background jobs (claimed with leases, see docs/concurrency.md) and
-- the mail outbox delivered by them.

CREATE TABLE jobs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    payload TEXT NOT NULL,
    -- At most one job per key (e.g. `import:42`); NULL for most jobs.
    dedupe_key TEXT NULL,
    status TEXT NOT NULL,
    attempts INT NOT NULL DEFAULT 0,
    max_attempts INT NOT NULL,
    run_at TIMESTAMP NOT NULL,
    locked_until TIMESTAMP NULL,
    locked_by TEXT NULL,
    last_error TEXT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    finished_at TIMESTAMP NULL
);
CREATE UNIQUE INDEX ux_jobs_dedupe ON jobs (dedupe_key);
-- The claim: one kind, queued or running, due.
CREATE INDEX ix_jobs_claim ON jobs (kind, status, run_at);
-- The admin page: newest per status; purging old done jobs.
CREATE INDEX ix_jobs_status_updated ON jobs (status, updated_at);

CREATE TABLE mail_outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    job_id BIGINT NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    message_id TEXT NOT NULL,
    from_addr TEXT NOT NULL,
    to_addr TEXT NOT NULL,
    subject TEXT NOT NULL,
    text_body TEXT NOT NULL,
    html_body TEXT NULL,
    -- Further headers as a JSON array of [name, value] pairs.
    headers TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX ux_mail_outbox_job ON mail_outbox (job_id);
CREATE INDEX ix_mail_outbox_created ON mail_outbox (created_at);
