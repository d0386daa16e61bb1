-- Incoming mail received once (src/mail/inbound): see the SQLite twin.
CREATE TABLE inbound_mail (
    message_key CHAR(64) NOT NULL PRIMARY KEY,
    message_id VARCHAR(250) NOT NULL,
    from_addr VARCHAR(250) NOT NULL,
    received_at DATETIME(6) NOT NULL,
    outcome VARCHAR(20) NOT NULL,
    ticket_id BIGINT NULL,
    KEY ix_inbound_mail_received (received_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
