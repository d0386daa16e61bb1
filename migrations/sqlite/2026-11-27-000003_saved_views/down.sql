DROP INDEX ix_accounts_created;
DROP INDEX ix_contacts_created;
DROP TABLE saved_views;
