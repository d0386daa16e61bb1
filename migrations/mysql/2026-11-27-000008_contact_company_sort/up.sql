-- The contact list sorted by company orders by the linked account's name.
-- No contacts index can serve an order on another table's column, so the
-- name is copied here (kept by search::index::reindex_contacts, which every
-- contact and account write already calls) and indexed with the id for
-- keyset paging.
ALTER TABLE contacts ADD COLUMN company_sort VARCHAR(200) NULL;
UPDATE contacts c JOIN accounts a ON a.id = c.account_id SET c.company_sort = a.name;
CREATE INDEX ix_contacts_company_sort ON contacts (company_sort, id);
