DROP INDEX ix_deals_lost;
DROP INDEX ix_deals_won;
