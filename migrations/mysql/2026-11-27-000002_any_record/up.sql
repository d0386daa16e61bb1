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
-- how an account's timeline shows its contacts' entries). MySQL 8 refuses
-- CHECK constraints on columns with foreign-key actions, so the CHECKs are
-- MariaDB-only executable comments; on MySQL the one mapping point in
-- src/records/links.rs is what keeps the rule.

CREATE TABLE record_tags (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    tag_id BIGINT NOT NULL,
    contact_id BIGINT NULL,
    account_id BIGINT NULL,
    UNIQUE KEY uq_record_tags_contact (contact_id, tag_id),
    UNIQUE KEY uq_record_tags_account (account_id, tag_id),
    KEY ix_record_tags_tag_contact (tag_id, contact_id),
    KEY ix_record_tags_tag_account (tag_id, account_id),
    CONSTRAINT fk_record_tags_tag FOREIGN KEY (tag_id) REFERENCES tags (id) ON DELETE CASCADE,
    CONSTRAINT fk_record_tags_contact FOREIGN KEY (contact_id) REFERENCES contacts (id) ON DELETE CASCADE,
    CONSTRAINT fk_record_tags_account FOREIGN KEY (account_id) REFERENCES accounts (id) ON DELETE CASCADE
    /*M!100201 , CONSTRAINT ck_record_tags_one_record CHECK ((contact_id IS NOT NULL) + (account_id IS NOT NULL) = 1) */
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

INSERT INTO record_tags (tag_id, contact_id)
    SELECT tag_id, contact_id FROM contact_tags ORDER BY contact_id, tag_id;
INSERT INTO record_tags (tag_id, account_id)
    SELECT tag_id, account_id FROM account_tags ORDER BY account_id, tag_id;
DROP TABLE contact_tags;
DROP TABLE account_tags;

-- Entries filed under no record could not be reached from any page.
DELETE FROM activities WHERE contact_id IS NULL AND account_id IS NULL;
-- (On MySQL this is an ALTER TABLE without changes.)
ALTER TABLE activities
    /*M!100201 ADD CONSTRAINT ck_activities_record CHECK (contact_id IS NOT NULL OR account_id IS NOT NULL) */;
