DROP INDEX ix_orders_confirmed ON orders;
DROP TABLE order_tallies;
