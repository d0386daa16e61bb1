ALTER TABLE orders DROP COLUMN link_key, DROP COLUMN valid_until;
