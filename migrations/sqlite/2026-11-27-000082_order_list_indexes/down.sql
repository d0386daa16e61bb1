DROP INDEX ix_orders_status_created;
DROP INDEX ix_orders_status_updated;
DROP INDEX ix_orders_status_total;
DROP INDEX ix_orders_owner_created;
DROP INDEX ix_orders_contact_created;
DROP INDEX ix_orders_account_created;
DROP INDEX ix_orders_currency_total;
DROP INDEX ix_orders_status_currency_total;
