DROP INDEX ix_campaign_recipients_due;
ALTER TABLE campaign_recipients DROP COLUMN due_at;
DROP INDEX ix_campaigns_series;
ALTER TABLE campaigns DROP COLUMN delay_minutes;
ALTER TABLE campaigns DROP COLUMN step_no;
ALTER TABLE campaigns DROP COLUMN series_id;
DROP TABLE series_enrollments;
DROP TABLE series;
