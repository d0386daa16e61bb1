DROP TABLE campaign_events;
DROP TABLE campaign_links;
ALTER TABLE workspace_settings DROP COLUMN track_individuals;
ALTER TABLE campaign_recipients
    DROP KEY ix_campaign_recipients_sent,
    DROP KEY ix_campaign_recipients_clicked,
    DROP KEY ix_campaign_recipients_opened,
    DROP COLUMN clicked_at,
    DROP COLUMN opened_at;
ALTER TABLE campaigns DROP COLUMN track_clicks, DROP COLUMN track_opens;
