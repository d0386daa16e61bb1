-- Senders of campaigns (issue 11, src/campaigns/senders): the addresses a
-- campaign or series step may come from, besides the workspace address
-- (RAPPORT_MAIL_FROM) and the signed-in user's own. An address is offered
-- only once someone who reads its mailbox followed the link mailed to it
-- (`verified_at`), so nobody sends as an address they do not hold.
-- `mailed_at`: when the last link was queued (a new one at most once a
-- minute). The link is a signed token over the row id, bound to the
-- address, valid 7 days (signed::Purpose::SenderVerify).

CREATE TABLE campaign_senders (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    email TEXT NOT NULL,
    verified_at TIMESTAMP NULL,
    mailed_at TIMESTAMP NOT NULL,
    created_by BIGINT NULL REFERENCES users (id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX uq_campaign_senders_email ON campaign_senders (email);
