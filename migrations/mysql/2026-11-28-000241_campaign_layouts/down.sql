ALTER TABLE signup_forms DROP COLUMN active;
ALTER TABLE campaigns DROP KEY ix_campaigns_archive, DROP COLUMN in_archive, DROP COLUMN layout;
