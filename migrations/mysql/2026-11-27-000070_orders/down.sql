ALTER TABLE record_tags DROP FOREIGN KEY fk_record_tags_order;
DELETE FROM record_tags WHERE order_id IS NOT NULL;
ALTER TABLE record_tags
    DROP KEY uq_record_tags_order, DROP KEY ix_record_tags_tag_order
    /*M!100201 , DROP CONSTRAINT ck_record_tags_one_record_order */, DROP COLUMN order_id
    /*M!100201 , ADD CONSTRAINT ck_record_tags_one_record_deal CHECK ((contact_id IS NOT NULL) + (account_id IS NOT NULL) + (deal_id IS NOT NULL) = 1) */;
ALTER TABLE tasks DROP FOREIGN KEY fk_tasks_order;
ALTER TABLE tasks DROP KEY ix_tasks_order, DROP COLUMN order_id;
ALTER TABLE activities DROP FOREIGN KEY fk_activities_order;
DELETE FROM activities WHERE contact_id IS NULL AND account_id IS NULL AND deal_id IS NULL;
ALTER TABLE activities
    DROP KEY ix_activities_order
    /*M!100201 , DROP CONSTRAINT ck_activities_record_order */, DROP COLUMN order_id
    /*M!100201 , ADD CONSTRAINT ck_activities_record_deal CHECK (contact_id IS NOT NULL OR account_id IS NOT NULL OR deal_id IS NOT NULL) */;
ALTER TABLE workspace_settings DROP COLUMN order_prefix, DROP COLUMN quote_prefix;
DROP TABLE idempotency_keys;
DROP TABLE doc_counters;
DROP TABLE order_lines;
DROP TABLE orders;
DROP TABLE products;
