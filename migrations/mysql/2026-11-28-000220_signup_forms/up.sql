-- Public sign-up pages with double opt-in: see the SQLite twin for the commentary.

CREATE TABLE signup_forms (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    title VARCHAR(200) NOT NULL,
    intro TEXT NOT NULL,
    slug VARCHAR(60) NOT NULL,
    segment_id BIGINT NULL,
    tag VARCHAR(50) NULL,
    language VARCHAR(10) NOT NULL,
    version INT NOT NULL DEFAULT 1,
    created_by BIGINT NOT NULL,
    created_at DATETIME(6) NOT NULL,
    updated_at DATETIME(6) NOT NULL,
    UNIQUE KEY uq_signup_forms_slug (slug),
    CONSTRAINT fk_signup_forms_segment FOREIGN KEY (segment_id) REFERENCES segments (id),
    CONSTRAINT fk_signup_forms_user FOREIGN KEY (created_by) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE signups (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    form_id BIGINT NOT NULL,
    contact_id BIGINT NOT NULL,
    state VARCHAR(12) NOT NULL,
    created_at DATETIME(6) NOT NULL,
    confirmed_at DATETIME(6) NULL,
    UNIQUE KEY uq_signups_form_contact (form_id, contact_id),
    KEY ix_signups_form_state (form_id, state),
    KEY ix_signups_contact (contact_id),
    CONSTRAINT fk_signups_form FOREIGN KEY (form_id) REFERENCES signup_forms (id) ON DELETE CASCADE,
    CONSTRAINT fk_signups_contact FOREIGN KEY (contact_id) REFERENCES contacts (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
