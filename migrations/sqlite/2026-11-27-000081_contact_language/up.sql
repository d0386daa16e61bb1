-- A contact's preferred language (`en`, `zh-CN`; NULL: the workspace's),
-- used for what the customer reads: printed documents, the public quote
-- page and its email.
ALTER TABLE contacts ADD COLUMN language TEXT NULL;
