-- Email layouts and the public archive (issue 11).
-- campaigns.layout: the design around the body (`campaigns::domain::EmailLayout`:
-- card | newsletter | plain).
-- campaigns.in_archive: the sent campaign is shown on the public archive
-- (`/archive`), rendered for no one in particular.
-- signup_forms.active: a closed form answers 404 and takes no sign-ups;
-- its confirmation links still work.
ALTER TABLE campaigns ADD COLUMN layout TEXT NOT NULL DEFAULT 'card';
ALTER TABLE campaigns ADD COLUMN in_archive BOOLEAN NOT NULL DEFAULT 0;
CREATE INDEX ix_campaigns_archive ON campaigns (in_archive, finished_at);
ALTER TABLE signup_forms ADD COLUMN active BOOLEAN NOT NULL DEFAULT 1;
