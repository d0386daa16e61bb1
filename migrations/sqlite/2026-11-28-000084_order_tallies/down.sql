DROP INDEX ix_orders_confirmed;
DROP TABLE order_tallies;
