-- Login throttling shared by every instance (issue 13, docs/scale-out.md): one
-- counter per (hashed account + client address, fixed window), raised by a
-- conditional UPDATE, so two instances behind a load balancer count the same
-- failures. See the SQLite twin for the commentary.
CREATE TABLE login_failures (
    throttle_key VARCHAR(64) NOT NULL,
    window_start BIGINT NOT NULL,
    failures INT NOT NULL,
    updated_at DATETIME(6) NOT NULL,
    PRIMARY KEY (throttle_key, window_start),
    KEY ix_login_failures_updated (updated_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
