-- The contact list sorted by company orders by the linked account's name.
-- No contacts index can serve an order on another table's column, so the
-- name is copied here (kept by search::index::reindex_contacts, which every
-- contact and account write already calls) and indexed with the id for
-- keyset paging.
ALTER TABLE contacts ADD COLUMN company_sort TEXT NULL COLLATE NOCASE;
UPDATE contacts SET company_sort = (SELECT name FROM accounts WHERE accounts.id = contacts.account_id);
CREATE INDEX ix_contacts_company_sort ON contacts (company_sort, id);
