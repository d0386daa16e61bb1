DROP INDEX ix_contacts_company_sort ON contacts;
ALTER TABLE contacts DROP COLUMN company_sort;
