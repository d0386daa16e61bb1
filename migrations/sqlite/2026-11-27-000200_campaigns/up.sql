-- Campaigns (issue 11).
--
-- segments: a saved filter over contacts (JSON of campaigns::segment::Filter),
-- evaluated in SQL whenever it is counted or an audience is frozen.
-- campaigns: the message and its state (draft, scheduled, sending, paused,
-- cancelled, sent), changed only by conditional UPDATEs on the state.
-- campaign_recipients: the per-recipient ledger, frozen at launch in one
-- transaction (UNIQUE campaign x contact). A recipient is claimed by a lane
-- with `lease_owner`/`lease_until` (conditional UPDATE), sent, and recorded
-- (`state` pending -> sent | failed | skipped) by the owner of the lease; a
-- temporary failure puts `lease_until` in the future as its back-off.

CREATE TABLE segments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    filter TEXT NOT NULL,
    created_by BIGINT NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX ix_segments_name ON segments (name);

CREATE TABLE campaigns (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    segment_id BIGINT NULL REFERENCES segments (id),
    from_name TEXT NOT NULL,
    from_addr TEXT NOT NULL,
    reply_to TEXT NULL,
    subject TEXT NOT NULL,
    body_format TEXT NOT NULL,
    body TEXT NOT NULL,
    status TEXT NOT NULL,
    scheduled_at TIMESTAMP NULL,
    rate_per_sec INT NOT NULL,
    concurrency INT NOT NULL,
    recipients_total BIGINT NOT NULL DEFAULT 0,
    version INT NOT NULL DEFAULT 1,
    created_by BIGINT NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    started_at TIMESTAMP NULL,
    finished_at TIMESTAMP NULL
);
CREATE INDEX ix_campaigns_status ON campaigns (status, updated_at);
CREATE INDEX ix_campaigns_updated ON campaigns (updated_at);

CREATE TABLE campaign_recipients (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    campaign_id BIGINT NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    contact_id BIGINT NOT NULL,
    email TEXT NOT NULL,
    state TEXT NOT NULL,
    attempts INT NOT NULL DEFAULT 0,
    lease_owner TEXT NULL,
    lease_until TIMESTAMP NULL,
    sent_at TIMESTAMP NULL,
    last_error TEXT NULL
);
CREATE UNIQUE INDEX uq_campaign_recipients ON campaign_recipients (campaign_id, contact_id);
CREATE INDEX ix_campaign_recipients_claim ON campaign_recipients (campaign_id, state, lease_until);
CREATE INDEX ix_campaign_recipients_owner ON campaign_recipients (lease_owner);
CREATE INDEX ix_campaign_recipients_contact ON campaign_recipients (contact_id);
