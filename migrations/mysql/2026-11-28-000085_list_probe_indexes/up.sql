-- Lists that walk their sort's index and test each row (issue 9, at
-- 200,000 orders): a searched word is probed among one record's terms
-- (`filter_by_word!`), which with the term in the index is one lookup
-- instead of reading all the record's terms (3,233 rows read for a page of
-- 26); one status by total tested against creation days reads the day
-- from the index instead of each order (721 row lookups).
DROP INDEX ix_search_terms_record ON search_terms;
CREATE INDEX ix_search_terms_record ON search_terms (record_type, record_id, term);
DROP INDEX ix_orders_status_total ON orders;
CREATE INDEX ix_orders_status_total ON orders (status, total_minor, created_at);
