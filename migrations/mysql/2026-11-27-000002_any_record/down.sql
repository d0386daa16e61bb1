ALTER TABLE activities /*M!100201 DROP CONSTRAINT ck_activities_record */;

CREATE TABLE contact_tags (
    contact_id BIGINT NOT NULL,
    tag_id BIGINT NOT NULL,
    PRIMARY KEY (contact_id, tag_id),
    KEY ix_contact_tags_tag (tag_id),
    CONSTRAINT fk_contact_tags_contact FOREIGN KEY (contact_id) REFERENCES contacts (id) ON DELETE CASCADE,
    CONSTRAINT fk_contact_tags_tag FOREIGN KEY (tag_id) REFERENCES tags (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE account_tags (
    account_id BIGINT NOT NULL,
    tag_id BIGINT NOT NULL,
    PRIMARY KEY (account_id, tag_id),
    KEY ix_account_tags_tag (tag_id),
    CONSTRAINT fk_account_tags_account FOREIGN KEY (account_id) REFERENCES accounts (id) ON DELETE CASCADE,
    CONSTRAINT fk_account_tags_tag FOREIGN KEY (tag_id) REFERENCES tags (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

INSERT INTO contact_tags (contact_id, tag_id)
    SELECT contact_id, tag_id FROM record_tags WHERE contact_id IS NOT NULL;
INSERT INTO account_tags (account_id, tag_id)
    SELECT account_id, tag_id FROM record_tags WHERE account_id IS NOT NULL;
DROP TABLE record_tags;
