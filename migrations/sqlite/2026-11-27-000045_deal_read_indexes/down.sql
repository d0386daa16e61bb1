DROP INDEX ix_deals_owner_column;
DROP INDEX ix_deals_value;
DROP INDEX ix_deals_close;
DROP INDEX ix_deals_pipeline_totals;
CREATE INDEX ix_deals_pipeline_totals ON deals (pipeline_id, status, stage_id, currency, value_minor, probability);
