-- NPS surveys (issue 12): see the SQLite twin for the commentary.

ALTER TABLE campaigns ADD COLUMN kind VARCHAR(10) NOT NULL DEFAULT 'email';

CREATE TABLE nps_responses (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    campaign_id BIGINT NOT NULL,
    recipient_id BIGINT NOT NULL,
    score INT NOT NULL,
    comment TEXT NOT NULL,
    created_at DATETIME(6) NOT NULL,
    updated_at DATETIME(6) NOT NULL,
    UNIQUE KEY uq_nps_responses_recipient (recipient_id),
    KEY ix_nps_responses_campaign (campaign_id, score),
    KEY ix_nps_responses_created (created_at),
    CONSTRAINT fk_nps_responses_campaign FOREIGN KEY (campaign_id) REFERENCES campaigns (id) ON DELETE CASCADE,
    CONSTRAINT fk_nps_responses_recipient FOREIGN KEY (recipient_id) REFERENCES campaign_recipients (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
