-- NPS surveys (issue 12, src/campaigns/nps.rs): a campaign of kind `nps`
-- carries the 0-10 question as eleven signed links; `/nps/{token}`
-- records the recipient's answer.
--
-- campaigns.kind: `email` (a plain campaign) or `nps` (`CampaignKind`).
-- nps_responses: one row per ledger row (UNIQUE recipient_id, so one
-- answer per recipient per campaign); a second click rewrites the score
-- (a conditional UPDATE first, the INSERT only for the first answer);
-- created_at is the first answer (the month Insights counts it in).
-- (No REFERENCES on the new campaigns column; the table has them.)

ALTER TABLE campaigns ADD COLUMN kind TEXT NOT NULL DEFAULT 'email';

CREATE TABLE nps_responses (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    campaign_id BIGINT NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    recipient_id BIGINT NOT NULL REFERENCES campaign_recipients (id) ON DELETE CASCADE,
    score INTEGER NOT NULL,
    comment TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX uq_nps_responses_recipient ON nps_responses (recipient_id);
CREATE INDEX ix_nps_responses_campaign ON nps_responses (campaign_id, score);
CREATE INDEX ix_nps_responses_created ON nps_responses (created_at);
