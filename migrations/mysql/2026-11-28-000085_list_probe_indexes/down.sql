DROP INDEX ix_orders_status_total ON orders;
CREATE INDEX ix_orders_status_total ON orders (status, total_minor);
DROP INDEX ix_search_terms_record ON search_terms;
CREATE INDEX ix_search_terms_record ON search_terms (record_type, record_id);
