-- The board's totals group a pipeline's deals by status, stage, currency
-- and own probability, summing the value: with the value after them, the
-- index is read in group order; with the owner and source last, the
-- board's owner, "my deals" and source filters read the index alone.
DROP INDEX ix_deals_pipeline_totals;
CREATE INDEX ix_deals_pipeline_totals ON deals (pipeline_id, status, stage_id, currency, probability, value_minor, owner_id, source);
