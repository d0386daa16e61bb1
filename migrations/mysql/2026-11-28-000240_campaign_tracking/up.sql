-- Open and click tracking (issue 11): see the SQLite twin for the commentary.

ALTER TABLE campaigns
    ADD COLUMN track_opens BOOLEAN NOT NULL DEFAULT 1,
    ADD COLUMN track_clicks BOOLEAN NOT NULL DEFAULT 1;
ALTER TABLE campaign_recipients
    ADD COLUMN opened_at DATETIME(6) NULL,
    ADD COLUMN clicked_at DATETIME(6) NULL,
    ADD KEY ix_campaign_recipients_opened (campaign_id, opened_at),
    ADD KEY ix_campaign_recipients_clicked (campaign_id, clicked_at),
    ADD KEY ix_campaign_recipients_sent (campaign_id, sent_at);
ALTER TABLE workspace_settings ADD COLUMN track_individuals BOOLEAN NOT NULL DEFAULT 1;

CREATE TABLE campaign_links (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    campaign_id BIGINT NOT NULL,
    url_hash CHAR(64) NOT NULL,
    url TEXT NOT NULL,
    created_at DATETIME(6) NOT NULL,
    UNIQUE KEY uq_campaign_links_url (campaign_id, url_hash),
    CONSTRAINT fk_campaign_links_campaign FOREIGN KEY (campaign_id) REFERENCES campaigns (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE campaign_events (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    campaign_id BIGINT NOT NULL,
    recipient_id BIGINT NULL,
    link_id BIGINT NULL,
    kind VARCHAR(8) NOT NULL,
    created_at DATETIME(6) NOT NULL,
    KEY ix_campaign_events_time (campaign_id, kind, created_at),
    KEY ix_campaign_events_link (link_id, recipient_id),
    KEY ix_campaign_events_recipient (recipient_id),
    CONSTRAINT fk_campaign_events_campaign FOREIGN KEY (campaign_id) REFERENCES campaigns (id) ON DELETE CASCADE,
    CONSTRAINT fk_campaign_events_recipient FOREIGN KEY (recipient_id) REFERENCES campaign_recipients (id) ON DELETE SET NULL,
    CONSTRAINT fk_campaign_events_link FOREIGN KEY (link_id) REFERENCES campaign_links (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
