-- Login throttling shared by every instance (issue 13, docs/scale-out.md).
-- throttle_key: SHA-256 (hex) of "account|client address", so the table
-- keeps no address typed by an attacker in the clear; window_start: the
-- start of the fixed 15-minute window, in Unix seconds. A failure is
-- `UPDATE … SET failures = failures + 1 WHERE throttle_key = ? AND
-- window_start = ?`, or the INSERT of the window's first row (a unique
-- violation there means another instance inserted it first: update again).
CREATE TABLE login_failures (
    throttle_key TEXT NOT NULL,
    window_start BIGINT NOT NULL,
    failures INTEGER NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    PRIMARY KEY (throttle_key, window_start)
);
CREATE INDEX ix_login_failures_updated ON login_failures (updated_at);
