ALTER TABLE signup_forms DROP COLUMN active;
DROP INDEX ix_campaigns_archive;
ALTER TABLE campaigns DROP COLUMN in_archive;
ALTER TABLE campaigns DROP COLUMN layout;
