-- Welcome series (issue 11, src/campaigns/series): automations of N emails
-- with delays, triggered by a confirmed sign-up or by entering a segment,
-- sent by the campaign ledger and its lanes.
--
-- series: name, trigger (a sign-up form or a segment), sender, state
-- (draft -> active <-> paused, conditional UPDATEs); activated_at is the
-- first activation (a segment's members then are its baseline). Edits
-- carry `version`.
-- series_enrollments: who entered and why (UNIQUE series x contact, so a
-- contact enters once); source `signup:<form>`, `segment:<id>`, or
-- `baseline` (already in the segment at activation: never mailed).
-- campaigns.series_id/step_no/delay_minutes: each step is a campaign row
-- (status sending while the series is active); enrolment writes one
-- ledger row per step with `due_at` (entry time + the delays up to that
-- step), and a claim takes only rows whose time has come.
-- (The new campaigns column has no REFERENCES here: SQLite cannot drop a
-- column that has one; MySQL's twin has the foreign key.)

CREATE TABLE series (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    trigger_kind TEXT NOT NULL,
    signup_form_id BIGINT NULL REFERENCES signup_forms (id),
    segment_id BIGINT NULL REFERENCES segments (id),
    from_name TEXT NOT NULL,
    from_addr TEXT NOT NULL,
    reply_to TEXT NULL,
    status TEXT NOT NULL,
    activated_at TIMESTAMP NULL,
    version INTEGER NOT NULL DEFAULT 1,
    created_by BIGINT NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX ix_series_status ON series (status);
CREATE INDEX ix_series_signup_form ON series (signup_form_id);

CREATE TABLE series_enrollments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    series_id BIGINT NOT NULL REFERENCES series (id) ON DELETE CASCADE,
    contact_id BIGINT NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    source TEXT NOT NULL,
    enrolled_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX uq_series_enrollments ON series_enrollments (series_id, contact_id);
CREATE INDEX ix_series_enrollments_contact ON series_enrollments (contact_id);

ALTER TABLE campaigns ADD COLUMN series_id BIGINT NULL;
ALTER TABLE campaigns ADD COLUMN step_no INTEGER NULL;
ALTER TABLE campaigns ADD COLUMN delay_minutes INTEGER NULL;
CREATE INDEX ix_campaigns_series ON campaigns (series_id, step_no);

ALTER TABLE campaign_recipients ADD COLUMN due_at TIMESTAMP NULL;
CREATE INDEX ix_campaign_recipients_due ON campaign_recipients (campaign_id, state, due_at);
