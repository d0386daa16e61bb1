-- Quotes by email (issue 9): the public link of a sent quote is signed and
-- bound to `link_key` (random, set when the quote is sent; withdrawing
-- the quote clears it, which revokes every link mailed before), and it
-- expires at the end of `valid_until` (the quote's validity, UTC).
ALTER TABLE orders ADD COLUMN link_key VARCHAR(64) NULL, ADD COLUMN valid_until DATE NULL;
