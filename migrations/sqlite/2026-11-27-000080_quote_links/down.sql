ALTER TABLE orders DROP COLUMN valid_until;
ALTER TABLE orders DROP COLUMN link_key;
