-- Welcome series (issue 11): see the SQLite twin for the commentary.

CREATE TABLE series (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    name VARCHAR(200) NOT NULL,
    trigger_kind VARCHAR(10) NOT NULL,
    signup_form_id BIGINT NULL,
    segment_id BIGINT NULL,
    from_name VARCHAR(200) NOT NULL,
    from_addr VARCHAR(400) NOT NULL,
    reply_to VARCHAR(400) NULL,
    status VARCHAR(10) NOT NULL,
    activated_at DATETIME(6) NULL,
    version INT NOT NULL DEFAULT 1,
    created_by BIGINT NOT NULL,
    created_at DATETIME(6) NOT NULL,
    updated_at DATETIME(6) NOT NULL,
    KEY ix_series_status (status),
    KEY ix_series_signup_form (signup_form_id),
    CONSTRAINT fk_series_signup_form FOREIGN KEY (signup_form_id) REFERENCES signup_forms (id),
    CONSTRAINT fk_series_segment FOREIGN KEY (segment_id) REFERENCES segments (id),
    CONSTRAINT fk_series_user FOREIGN KEY (created_by) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE series_enrollments (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    series_id BIGINT NOT NULL,
    contact_id BIGINT NOT NULL,
    source VARCHAR(40) NOT NULL,
    enrolled_at DATETIME(6) NOT NULL,
    UNIQUE KEY uq_series_enrollments (series_id, contact_id),
    KEY ix_series_enrollments_contact (contact_id),
    CONSTRAINT fk_series_enrollments_series FOREIGN KEY (series_id) REFERENCES series (id) ON DELETE CASCADE,
    CONSTRAINT fk_series_enrollments_contact FOREIGN KEY (contact_id) REFERENCES contacts (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

ALTER TABLE campaigns
    ADD COLUMN series_id BIGINT NULL,
    ADD COLUMN step_no INT NULL,
    ADD COLUMN delay_minutes INT NULL,
    ADD KEY ix_campaigns_series (series_id, step_no),
    ADD CONSTRAINT fk_campaigns_series FOREIGN KEY (series_id) REFERENCES series (id);

ALTER TABLE campaign_recipients
    ADD COLUMN due_at DATETIME(6) NULL,
    ADD KEY ix_campaign_recipients_due (campaign_id, state, due_at);
