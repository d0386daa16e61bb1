DROP INDEX ix_deals_lost ON deals;
DROP INDEX ix_deals_won ON deals;
