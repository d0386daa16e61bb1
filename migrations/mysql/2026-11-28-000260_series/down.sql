ALTER TABLE campaign_recipients
    DROP KEY ix_campaign_recipients_due,
    DROP COLUMN due_at;
ALTER TABLE campaigns
    DROP FOREIGN KEY fk_campaigns_series,
    DROP KEY ix_campaigns_series,
    DROP COLUMN delay_minutes,
    DROP COLUMN step_no,
    DROP COLUMN series_id;
DROP TABLE series_enrollments;
DROP TABLE series;
