ALTER TABLE record_tags DROP FOREIGN KEY fk_record_tags_ticket;
DELETE FROM record_tags WHERE ticket_id IS NOT NULL;
ALTER TABLE record_tags
    DROP KEY uq_record_tags_ticket, DROP KEY ix_record_tags_tag_ticket
    /*M!100201 , DROP CONSTRAINT ck_record_tags_one_record_ticket */, DROP COLUMN ticket_id
    /*M!100201 , ADD CONSTRAINT ck_record_tags_one_record_order CHECK ((contact_id IS NOT NULL) + (account_id IS NOT NULL) + (deal_id IS NOT NULL) + (order_id IS NOT NULL) = 1) */;
ALTER TABLE tasks DROP FOREIGN KEY fk_tasks_ticket;
ALTER TABLE tasks DROP KEY ix_tasks_ticket, DROP COLUMN ticket_id;
ALTER TABLE activities DROP FOREIGN KEY fk_activities_ticket;
DELETE FROM activities WHERE contact_id IS NULL AND account_id IS NULL AND deal_id IS NULL AND order_id IS NULL;
ALTER TABLE activities
    DROP KEY ix_activities_ticket
    /*M!100201 , DROP CONSTRAINT ck_activities_record_ticket */, DROP COLUMN ticket_id
    /*M!100201 , ADD CONSTRAINT ck_activities_record_order CHECK (contact_id IS NOT NULL OR account_id IS NOT NULL OR deal_id IS NOT NULL OR order_id IS NOT NULL) */;
DROP TABLE ticket_viewers;
DROP TABLE csat_ratings;
DROP TABLE canned_responses;
DROP TABLE ticket_attachments;
DROP TABLE ticket_messages;
DROP TABLE tickets;
DROP TABLE queue_members;
DROP TABLE ticket_queues;
DROP TABLE sla_targets;
DROP TABLE sla_policies;
DROP TABLE calendar_holidays;
DROP TABLE work_calendars;
