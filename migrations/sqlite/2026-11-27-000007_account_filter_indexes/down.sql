DROP INDEX ix_accounts_city;
DROP INDEX ix_accounts_industry;
