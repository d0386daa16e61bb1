DROP INDEX ix_contacts_company_sort;
ALTER TABLE contacts DROP COLUMN company_sort;
