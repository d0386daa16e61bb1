-- Public sign-up pages with double opt-in (issue 11, src/campaigns/signups).
--
-- signup_forms: a public page `/s/<slug>` (title, intro, language of the
-- page and of its confirmation mail) and what a confirmed sign-up joins: a
-- static-list segment and/or a tag. Edits carry `version`.
-- signups: one request per (form, contact) while it waits for the mailed
-- link (`state` pending -> confirmed, one conditional UPDATE). The contact's
-- consent is not touched until the confirmation; the link is a signed token
-- over the row id with an expiry (signed::Purpose::SignupConfirm).

CREATE TABLE signup_forms (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    title TEXT NOT NULL,
    intro TEXT NOT NULL,
    slug TEXT NOT NULL,
    segment_id BIGINT NULL REFERENCES segments (id),
    tag TEXT NULL,
    language TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    created_by BIGINT NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX uq_signup_forms_slug ON signup_forms (slug);

CREATE TABLE signups (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    form_id BIGINT NOT NULL REFERENCES signup_forms (id) ON DELETE CASCADE,
    contact_id BIGINT NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    state TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    confirmed_at TIMESTAMP NULL
);
CREATE UNIQUE INDEX uq_signups_form_contact ON signups (form_id, contact_id);
CREATE INDEX ix_signups_form_state ON signups (form_id, state);
CREATE INDEX ix_signups_contact ON signups (contact_id);
