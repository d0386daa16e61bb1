-- The timeline keeps its CHECK (it only forbids entries no page can show).
CREATE TABLE contact_tags (
    contact_id BIGINT NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    tag_id BIGINT NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
    PRIMARY KEY (contact_id, tag_id)
);
CREATE INDEX ix_contact_tags_tag ON contact_tags (tag_id);

CREATE TABLE account_tags (
    account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    tag_id BIGINT NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
    PRIMARY KEY (account_id, tag_id)
);
CREATE INDEX ix_account_tags_tag ON account_tags (tag_id);

INSERT INTO contact_tags (contact_id, tag_id)
    SELECT contact_id, tag_id FROM record_tags WHERE contact_id IS NOT NULL;
INSERT INTO account_tags (account_id, tag_id)
    SELECT account_id, tag_id FROM record_tags WHERE account_id IS NOT NULL;
DROP TABLE record_tags;
