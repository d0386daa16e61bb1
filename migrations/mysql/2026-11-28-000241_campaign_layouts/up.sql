-- Email layouts and the public archive (issue 11): see the SQLite twin.
ALTER TABLE campaigns
    ADD COLUMN layout VARCHAR(16) NOT NULL DEFAULT 'card',
    ADD COLUMN in_archive BOOLEAN NOT NULL DEFAULT 0,
    ADD KEY ix_campaigns_archive (in_archive, finished_at);
ALTER TABLE signup_forms ADD COLUMN active BOOLEAN NOT NULL DEFAULT 1;
