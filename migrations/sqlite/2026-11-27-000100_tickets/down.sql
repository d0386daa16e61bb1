DROP INDEX ix_tasks_ticket;
ALTER TABLE tasks DROP COLUMN ticket_id;

CREATE TABLE record_tags_old (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    tag_id BIGINT NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
    contact_id BIGINT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    account_id BIGINT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    deal_id BIGINT NULL REFERENCES deals (id) ON DELETE CASCADE,
    order_id BIGINT NULL REFERENCES orders (id) ON DELETE CASCADE,
    CONSTRAINT ck_record_tags_one_record_order CHECK ((contact_id IS NOT NULL) + (account_id IS NOT NULL) + (deal_id IS NOT NULL) + (order_id IS NOT NULL) = 1)
);
INSERT INTO record_tags_old (id, tag_id, contact_id, account_id, deal_id, order_id)
    SELECT id, tag_id, contact_id, account_id, deal_id, order_id FROM record_tags WHERE ticket_id IS NULL;
DROP TABLE record_tags;
ALTER TABLE record_tags_old RENAME TO record_tags;
CREATE UNIQUE INDEX uq_record_tags_contact ON record_tags (contact_id, tag_id);
CREATE UNIQUE INDEX uq_record_tags_account ON record_tags (account_id, tag_id);
CREATE UNIQUE INDEX uq_record_tags_deal ON record_tags (deal_id, tag_id);
CREATE UNIQUE INDEX uq_record_tags_order ON record_tags (order_id, tag_id);
CREATE INDEX ix_record_tags_tag_contact ON record_tags (tag_id, contact_id);
CREATE INDEX ix_record_tags_tag_account ON record_tags (tag_id, account_id);
CREATE INDEX ix_record_tags_tag_deal ON record_tags (tag_id, deal_id);
CREATE INDEX ix_record_tags_tag_order ON record_tags (tag_id, order_id);

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
    deal_id BIGINT NULL REFERENCES deals (id) ON DELETE CASCADE,
    system_message TEXT NULL,
    order_id BIGINT NULL REFERENCES orders (id) ON DELETE CASCADE,
    CONSTRAINT ck_activities_record_order CHECK (contact_id IS NOT NULL OR account_id IS NOT NULL OR deal_id IS NOT NULL OR order_id IS NOT NULL)
);
INSERT INTO activities_old (id, contact_id, account_id, kind, subject, body, author_id,
                            created_at, occurred_at, ref_type, ref_id, deal_id, system_message, order_id)
    SELECT id, contact_id, account_id, kind, subject, body, author_id,
           created_at, occurred_at, ref_type, ref_id, deal_id, system_message, order_id FROM activities
     WHERE contact_id IS NOT NULL OR account_id IS NOT NULL OR deal_id IS NOT NULL OR order_id IS NOT NULL;
DROP TABLE activities;
ALTER TABLE activities_old RENAME TO activities;
CREATE INDEX ix_activities_contact ON activities (contact_id, occurred_at);
CREATE INDEX ix_activities_account ON activities (account_id, occurred_at);
CREATE INDEX ix_activities_deal ON activities (deal_id, occurred_at);
CREATE INDEX ix_activities_order ON activities (order_id, occurred_at);

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
