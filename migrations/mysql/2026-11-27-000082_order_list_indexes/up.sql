-- The order list's filters with its sorts (issue 9, at 200,000 orders):
-- a status, an owner or a customer narrows, the sort walks the rest of the
-- index (InnoDB appends the id, so keyset pages continue in it). Totals
-- per currency of the whole list read (currency, total_minor) alone, of one
-- status (status, currency, total_minor).
CREATE INDEX ix_orders_status_created ON orders (status, created_at);
CREATE INDEX ix_orders_status_updated ON orders (status, updated_at);
CREATE INDEX ix_orders_status_total ON orders (status, total_minor);
CREATE INDEX ix_orders_owner_created ON orders (owner_id, created_at);
CREATE INDEX ix_orders_contact_created ON orders (contact_id, created_at);
CREATE INDEX ix_orders_account_created ON orders (account_id, created_at);
CREATE INDEX ix_orders_currency_total ON orders (currency, total_minor);
CREATE INDEX ix_orders_status_currency_total ON orders (status, currency, total_minor);
