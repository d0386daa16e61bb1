ALTER TABLE accounts DROP INDEX ix_accounts_created;
ALTER TABLE contacts DROP INDEX ix_contacts_created;
DROP TABLE saved_views;
