DROP INDEX ix_contacts_consent_source ON contacts;
