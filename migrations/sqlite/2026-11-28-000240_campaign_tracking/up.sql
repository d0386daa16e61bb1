-- Open and click tracking (issue 11, src/campaigns/tracking.rs).
--
-- campaigns.track_opens / track_clicks: per campaign, on by default; off
-- means no pixel and links left as written.
-- campaign_recipients.opened_at / clicked_at: the first open and click of
-- a recipient, set with one conditional UPDATE (`… IS NULL`), so unique
-- counts are an index read; left NULL when the workspace turned individual
-- tracking off.
-- campaign_links: each distinct URL of a campaign's messages, registered
-- when the first message with it is rendered (UNIQUE on a hash of the URL;
-- an insert that may meet the unique key, then a read). A click link carries the recipient's
-- signed token bound to the link id: nobody can make Rapport redirect to
-- a URL the campaign did not contain.
-- campaign_events: one row per open or click, for the charts over time and
-- per-link clicks; recipient_id NULL when individual tracking is off.
-- workspace_settings.track_individuals: whether opens and clicks are kept
-- per recipient (on) or only counted (off).

ALTER TABLE campaigns ADD COLUMN track_opens BOOLEAN NOT NULL DEFAULT 1;
ALTER TABLE campaigns ADD COLUMN track_clicks BOOLEAN NOT NULL DEFAULT 1;
ALTER TABLE campaign_recipients ADD COLUMN opened_at TIMESTAMP NULL;
ALTER TABLE campaign_recipients ADD COLUMN clicked_at TIMESTAMP NULL;
CREATE INDEX ix_campaign_recipients_opened ON campaign_recipients (campaign_id, opened_at);
CREATE INDEX ix_campaign_recipients_clicked ON campaign_recipients (campaign_id, clicked_at);
CREATE INDEX ix_campaign_recipients_sent ON campaign_recipients (campaign_id, sent_at);
ALTER TABLE workspace_settings ADD COLUMN track_individuals BOOLEAN NOT NULL DEFAULT 1;

CREATE TABLE campaign_links (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    campaign_id BIGINT NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    url_hash TEXT NOT NULL,
    url TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX uq_campaign_links_url ON campaign_links (campaign_id, url_hash);

CREATE TABLE campaign_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    campaign_id BIGINT NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    recipient_id BIGINT NULL REFERENCES campaign_recipients (id) ON DELETE SET NULL,
    link_id BIGINT NULL REFERENCES campaign_links (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX ix_campaign_events_time ON campaign_events (campaign_id, kind, created_at);
CREATE INDEX ix_campaign_events_link ON campaign_events (link_id, recipient_id);
CREATE INDEX ix_campaign_events_recipient ON campaign_events (recipient_id);
