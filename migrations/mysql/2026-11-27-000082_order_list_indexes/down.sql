DROP INDEX ix_orders_status_created ON orders;
DROP INDEX ix_orders_status_updated ON orders;
DROP INDEX ix_orders_status_total ON orders;
DROP INDEX ix_orders_owner_created ON orders;
DROP INDEX ix_orders_contact_created ON orders;
DROP INDEX ix_orders_account_created ON orders;
DROP INDEX ix_orders_currency_total ON orders;
DROP INDEX ix_orders_status_currency_total ON orders;
