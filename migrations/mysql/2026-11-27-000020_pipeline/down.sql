ALTER TABLE record_tags DROP FOREIGN KEY fk_record_tags_deal;
DELETE FROM record_tags WHERE deal_id IS NOT NULL;
ALTER TABLE record_tags
    DROP KEY uq_record_tags_deal, DROP KEY ix_record_tags_tag_deal
    /*M!100201 , DROP CONSTRAINT ck_record_tags_one_record_deal */, DROP COLUMN deal_id
    /*M!100201 , ADD CONSTRAINT ck_record_tags_one_record CHECK ((contact_id IS NOT NULL) + (account_id IS NOT NULL) = 1) */;
ALTER TABLE tasks DROP FOREIGN KEY fk_tasks_deal;
ALTER TABLE tasks DROP KEY ix_tasks_deal, DROP COLUMN deal_id;
ALTER TABLE activities DROP FOREIGN KEY fk_activities_deal;
DELETE FROM activities WHERE contact_id IS NULL AND account_id IS NULL;
ALTER TABLE activities
    DROP KEY ix_activities_deal
    /*M!100201 , DROP CONSTRAINT ck_activities_record_deal */, DROP COLUMN deal_id
    /*M!100201 , ADD CONSTRAINT ck_activities_record CHECK (contact_id IS NOT NULL OR account_id IS NOT NULL) */;
DROP TABLE deal_stage_changes;
DROP TABLE deals;
DROP TABLE lost_reasons;
DROP TABLE pipeline_stages;
DROP TABLE pipelines;
