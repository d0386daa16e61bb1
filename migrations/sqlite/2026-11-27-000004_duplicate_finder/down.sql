CREATE INDEX ix_contacts_account ON contacts (account_id);
DROP INDEX ix_contacts_account_name;
