-- Deals won or lost in a period (Insights' click-through to the deal list,
-- the sales section's closed deals): a range on the close time of one
-- status instead of a walk of every deal (0.15 s at 28,573 deals).
CREATE INDEX ix_deals_won ON deals (status, won_at);
CREATE INDEX ix_deals_lost ON deals (status, lost_at);
