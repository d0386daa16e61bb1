-- Entries, tasks and tags of deals go with them.
DELETE FROM activities WHERE contact_id IS NULL AND account_id IS NULL;
CREATE TABLE activities_old (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    contact_id BIGINT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    account_id BIGINT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    subject TEXT NULL,
    body TEXT NOT NULL,
    author_id BIGINT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    occurred_at TIMESTAMP NOT NULL,
    ref_type TEXT NULL,
    ref_id BIGINT NULL,
    CONSTRAINT ck_activities_record CHECK (contact_id IS NOT NULL OR account_id IS NOT NULL)
);
INSERT INTO activities_old (id, contact_id, account_id, kind, subject, body, author_id,
                            created_at, occurred_at, ref_type, ref_id)
    SELECT id, contact_id, account_id, kind, subject, body, author_id,
           created_at, occurred_at, ref_type, ref_id FROM activities;
DROP TABLE activities;
ALTER TABLE activities_old RENAME TO activities;
CREATE INDEX ix_activities_contact ON activities (contact_id, occurred_at);
CREATE INDEX ix_activities_account ON activities (account_id, occurred_at);

DELETE FROM record_tags WHERE deal_id IS NOT NULL;
CREATE TABLE record_tags_old (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    tag_id BIGINT NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
    contact_id BIGINT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    account_id BIGINT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    CONSTRAINT ck_record_tags_one_record CHECK ((contact_id IS NOT NULL) + (account_id IS NOT NULL) = 1)
);
INSERT INTO record_tags_old (id, tag_id, contact_id, account_id)
    SELECT id, tag_id, contact_id, account_id FROM record_tags;
DROP TABLE record_tags;
ALTER TABLE record_tags_old RENAME TO record_tags;
CREATE UNIQUE INDEX uq_record_tags_contact ON record_tags (contact_id, tag_id);
CREATE UNIQUE INDEX uq_record_tags_account ON record_tags (account_id, tag_id);
CREATE INDEX ix_record_tags_tag_contact ON record_tags (tag_id, contact_id);
CREATE INDEX ix_record_tags_tag_account ON record_tags (tag_id, account_id);

DELETE FROM tasks WHERE deal_id IS NOT NULL AND contact_id IS NULL AND account_id IS NULL;
DROP INDEX ix_tasks_deal;
ALTER TABLE tasks DROP COLUMN deal_id;

DROP TABLE deal_stage_changes;
DROP TABLE deals;
DROP TABLE lost_reasons;
DROP TABLE pipeline_stages;
DROP TABLE pipelines;
