DROP TABLE import_errors;
DROP TABLE imports;
DROP TABLE tasks;
DROP TABLE account_tags;
DROP TABLE contact_tags;
DROP TABLE tags;
DELETE FROM activities WHERE contact_id IS NULL OR author_id IS NULL;
ALTER TABLE activities
    DROP FOREIGN KEY fk_activities_account,
    DROP INDEX ix_activities_account,
    DROP INDEX ix_activities_contact,
    DROP COLUMN account_id, DROP COLUMN subject, DROP COLUMN occurred_at,
    DROP COLUMN ref_type, DROP COLUMN ref_id,
    MODIFY contact_id BIGINT NOT NULL,
    MODIFY author_id BIGINT NOT NULL,
    ADD KEY ix_activities_contact (contact_id, created_at);
ALTER TABLE contacts ADD COLUMN company_name VARCHAR(200) NULL AFTER phone, ADD KEY ix_contacts_company (company_name);
UPDATE contacts c JOIN accounts a ON a.id = c.account_id SET c.company_name = a.name;
ALTER TABLE contacts
    DROP FOREIGN KEY fk_contacts_account,
    DROP INDEX ix_contacts_account, DROP INDEX ix_contacts_owner_updated, DROP INDEX ix_contacts_first,
    DROP INDEX ix_contacts_phone, DROP INDEX ix_contacts_city,
    DROP COLUMN account_id, DROP COLUMN title, DROP COLUMN address, DROP COLUMN city, DROP COLUMN country,
    DROP COLUMN lifecycle, DROP COLUMN source, DROP COLUMN consent, DROP COLUMN consent_changed_at,
    DROP COLUMN consent_source;
DROP TABLE accounts;
