-- See the MySQL migration: the account list's city and industry menus.
CREATE INDEX ix_accounts_city ON accounts (city);
CREATE INDEX ix_accounts_industry ON accounts (industry);
