ALTER TABLE contacts ADD KEY ix_contacts_account (account_id);
ALTER TABLE contacts DROP INDEX ix_contacts_account_name;
