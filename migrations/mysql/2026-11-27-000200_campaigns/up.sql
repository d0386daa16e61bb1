-- Campaigns (issue 11): see the SQLite twin for the commentary.

CREATE TABLE segments (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    name VARCHAR(200) NOT NULL,
    filter TEXT NOT NULL,
    created_by BIGINT NOT NULL,
    created_at DATETIME(6) NOT NULL,
    updated_at DATETIME(6) NOT NULL,
    KEY ix_segments_name (name),
    CONSTRAINT fk_segments_user FOREIGN KEY (created_by) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE campaigns (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    name VARCHAR(200) NOT NULL,
    segment_id BIGINT NULL,
    from_name VARCHAR(200) NOT NULL,
    from_addr VARCHAR(400) NOT NULL,
    reply_to VARCHAR(400) NULL,
    subject VARCHAR(500) NOT NULL,
    body_format VARCHAR(10) NOT NULL,
    body TEXT NOT NULL,
    status VARCHAR(12) NOT NULL,
    scheduled_at DATETIME(6) NULL,
    rate_per_sec INT NOT NULL,
    concurrency INT NOT NULL,
    recipients_total BIGINT NOT NULL DEFAULT 0,
    version INT NOT NULL DEFAULT 1,
    created_by BIGINT NOT NULL,
    created_at DATETIME(6) NOT NULL,
    updated_at DATETIME(6) NOT NULL,
    started_at DATETIME(6) NULL,
    finished_at DATETIME(6) NULL,
    KEY ix_campaigns_status (status, updated_at),
    KEY ix_campaigns_updated (updated_at),
    CONSTRAINT fk_campaigns_segment FOREIGN KEY (segment_id) REFERENCES segments (id),
    CONSTRAINT fk_campaigns_user FOREIGN KEY (created_by) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE campaign_recipients (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    campaign_id BIGINT NOT NULL,
    contact_id BIGINT NOT NULL,
    email VARCHAR(400) NOT NULL,
    state VARCHAR(10) NOT NULL,
    attempts INT NOT NULL DEFAULT 0,
    lease_owner VARCHAR(100) NULL,
    lease_until DATETIME(6) NULL,
    sent_at DATETIME(6) NULL,
    last_error VARCHAR(1000) NULL,
    UNIQUE KEY uq_campaign_recipients (campaign_id, contact_id),
    KEY ix_campaign_recipients_claim (campaign_id, state, lease_until),
    KEY ix_campaign_recipients_owner (lease_owner),
    KEY ix_campaign_recipients_contact (contact_id),
    CONSTRAINT fk_campaign_recipients_campaign FOREIGN KEY (campaign_id) REFERENCES campaigns (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
