-- See the MySQL migration: the duplicates page groups by company and name.
CREATE INDEX ix_contacts_account_name ON contacts (account_id, last_name, first_name);
DROP INDEX ix_contacts_account;
