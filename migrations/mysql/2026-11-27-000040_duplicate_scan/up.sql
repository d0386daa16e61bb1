-- Duplicate candidates, found by a background job (`duplicates` job kind,
-- src/contacts/duplicate_scan.rs) instead of on each view of the
-- duplicates page: one row per contact in a group of contacts sharing an
-- email, a phone, or a name at the same company. A group is named by its
-- rule and its first member's id; the page keeps the members the viewer
-- can see.
CREATE TABLE duplicate_members (
    rule VARCHAR(16) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    group_id BIGINT NOT NULL,
    contact_id BIGINT NOT NULL,
    PRIMARY KEY (rule, group_id, contact_id),
    KEY ix_duplicate_members_contact (contact_id),
    CONSTRAINT fk_duplicate_members_contact FOREIGN KEY (contact_id)
        REFERENCES contacts (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- When the candidates were last computed (one row, id 1).
CREATE TABLE duplicate_scans (
    id BIGINT NOT NULL PRIMARY KEY,
    computed_at DATETIME(6) NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
