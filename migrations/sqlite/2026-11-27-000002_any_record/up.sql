-- Tags, tasks and timeline entries attach to any record type.
--
-- Shape: one nullable foreign key column per record type (contact_id,
-- account_id; deals, orders, tickets and campaigns add theirs) rather than a
-- `records` supertable. Every link is a real foreign key straight to the
-- record's own table, so deleting a record removes its tags, tasks and
-- entries by ON DELETE CASCADE whichever code path deletes it, and contact
-- and account ids (and so their URLs) stay what they are. The Rust side
-- maps a `RecordRef` to these columns in one place (src/records/links.rs).
--
-- A tag belongs to exactly one record; a timeline entry is filed under at
-- least one (a contact's entry is filed under its account as well, which is
-- how an account's timeline shows its contacts' entries).

CREATE TABLE record_tags (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    tag_id BIGINT NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
    contact_id BIGINT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    account_id BIGINT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    CONSTRAINT ck_record_tags_one_record CHECK ((contact_id IS NOT NULL) + (account_id IS NOT NULL) = 1)
);
CREATE UNIQUE INDEX uq_record_tags_contact ON record_tags (contact_id, tag_id);
CREATE UNIQUE INDEX uq_record_tags_account ON record_tags (account_id, tag_id);
CREATE INDEX ix_record_tags_tag_contact ON record_tags (tag_id, contact_id);
CREATE INDEX ix_record_tags_tag_account ON record_tags (tag_id, account_id);

INSERT INTO record_tags (tag_id, contact_id)
    SELECT tag_id, contact_id FROM contact_tags ORDER BY contact_id, tag_id;
INSERT INTO record_tags (tag_id, account_id)
    SELECT tag_id, account_id FROM account_tags ORDER BY account_id, tag_id;
DROP TABLE contact_tags;
DROP TABLE account_tags;

-- Entries filed under no record could not be reached from any page.
DELETE FROM activities WHERE contact_id IS NULL AND account_id IS NULL;
-- SQLite cannot add a constraint to a table: rebuild the timeline table.
CREATE TABLE activities_new (
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
INSERT INTO activities_new (id, contact_id, account_id, kind, subject, body, author_id,
                            created_at, occurred_at, ref_type, ref_id)
    SELECT id, contact_id, account_id, kind, subject, body, author_id,
           created_at, occurred_at, ref_type, ref_id FROM activities;
DROP TABLE activities;
ALTER TABLE activities_new RENAME TO activities;
CREATE INDEX ix_activities_contact ON activities (contact_id, occurred_at);
CREATE INDEX ix_activities_account ON activities (account_id, occurred_at);
