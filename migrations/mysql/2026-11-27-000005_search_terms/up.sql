-- Search terms of contacts and accounts, written by the app in the same
-- transaction as the record (src/search): folded words matched by prefix,
-- and CJK text as overlapping character pairs, which MariaDB's full-text
-- search cannot do (it has no ngram parser). Binary collation: terms are
-- folded by the app, and the prefix range must compare code points the
-- way SQLite does.
CREATE TABLE search_terms (
    record_type VARCHAR(16) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    term VARCHAR(40) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
    record_id BIGINT NOT NULL,
    PRIMARY KEY (record_type, term, record_id),
    KEY ix_search_terms_record (record_type, record_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
