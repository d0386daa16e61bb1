-- The order list's totals kept as they change (issue 9, at 200,000 orders):
-- documents and summed totals per (basis, day, owner, status, currency),
-- written in each order's own transaction by a conditional increment
-- (src/orders/tallies.rs). `basis` 'ever' has one row per (owner, status,
-- currency) under the day 1970-01-01 (the list without date filters);
-- 'created' and 'confirmed' per UTC day of creation and of confirmation.
CREATE TABLE order_tallies (
    basis TEXT NOT NULL,
    day DATE NOT NULL,
    owner_id BIGINT NOT NULL,
    status TEXT NOT NULL,
    currency TEXT NOT NULL,
    documents BIGINT NOT NULL,
    total_minor BIGINT NOT NULL,
    PRIMARY KEY (basis, day, owner_id, status, currency)
);
CREATE INDEX ix_order_tallies_owner ON order_tallies (basis, owner_id, day);

-- Revenue of a period (the insights click-through: confirmed in [since,
-- until)) reads its range of this index instead of walking every order.
CREATE INDEX ix_orders_confirmed ON orders (confirmed_at);
-- One owner's orders of one status, newest first (the owner's index held
-- their statuses mixed: 1,100 rows read for a page of 26 confirmed).
CREATE INDEX ix_orders_owner_status_created ON orders (owner_id, status, created_at);

INSERT INTO order_tallies (basis, day, owner_id, status, currency, documents, total_minor)
SELECT 'ever', '1970-01-01', owner_id, status, currency, COUNT(*), SUM(total_minor)
FROM orders GROUP BY owner_id, status, currency;

INSERT INTO order_tallies (basis, day, owner_id, status, currency, documents, total_minor)
SELECT 'created', date(created_at), owner_id, status, currency, COUNT(*), SUM(total_minor)
FROM orders GROUP BY date(created_at), owner_id, status, currency;

INSERT INTO order_tallies (basis, day, owner_id, status, currency, documents, total_minor)
SELECT 'confirmed', date(confirmed_at), owner_id, status, currency, COUNT(*), SUM(total_minor)
FROM orders WHERE confirmed_at IS NOT NULL
GROUP BY date(confirmed_at), owner_id, status, currency;
