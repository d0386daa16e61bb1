-- One row per incoming message (src/mail/inbound), keyed by the SHA-256 of
-- its Message-ID and written in the transaction that files it: the same
-- message fetched or piped twice meets the primary key and is skipped.
-- `outcome`: ticket, auto-submitted, auto-reply, bounce. No foreign key to
-- tickets: the row outlives a deleted ticket, so the mail is not refiled.
CREATE TABLE inbound_mail (
    message_key TEXT NOT NULL PRIMARY KEY,
    message_id TEXT NOT NULL,
    from_addr TEXT NOT NULL,
    received_at TIMESTAMP NOT NULL,
    outcome TEXT NOT NULL,
    ticket_id BIGINT NULL
);
CREATE INDEX ix_inbound_mail_received ON inbound_mail (received_at);
