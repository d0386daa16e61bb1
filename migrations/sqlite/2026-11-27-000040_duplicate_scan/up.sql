-- See the MySQL migration: duplicate candidates found by a background job.
CREATE TABLE duplicate_members (
    rule TEXT NOT NULL,
    group_id BIGINT NOT NULL,
    contact_id BIGINT NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    PRIMARY KEY (rule, group_id, contact_id)
) WITHOUT ROWID;
CREATE INDEX ix_duplicate_members_contact ON duplicate_members (contact_id);

CREATE TABLE duplicate_scans (
    id BIGINT NOT NULL PRIMARY KEY,
    computed_at TIMESTAMP NOT NULL
);
