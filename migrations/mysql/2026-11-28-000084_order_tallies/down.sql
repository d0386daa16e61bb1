DROP INDEX ix_orders_owner_status_created ON orders;
DROP INDEX ix_orders_confirmed ON orders;
DROP TABLE order_tallies;
