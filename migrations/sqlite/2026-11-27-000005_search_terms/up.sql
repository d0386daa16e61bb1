-- See the MySQL migration. WITHOUT ROWID: the primary key is the table.
CREATE TABLE search_terms (
    record_type TEXT NOT NULL,
    term TEXT NOT NULL,
    record_id BIGINT NOT NULL,
    PRIMARY KEY (record_type, term, record_id)
) WITHOUT ROWID;
CREATE INDEX ix_search_terms_record ON search_terms (record_type, record_id);
