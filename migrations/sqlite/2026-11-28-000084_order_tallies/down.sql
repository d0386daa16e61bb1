DROP INDEX ix_orders_owner_status_created;
DROP INDEX ix_orders_confirmed;
DROP TABLE order_tallies;
