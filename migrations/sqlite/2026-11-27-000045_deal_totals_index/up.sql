-- The board's totals group a pipeline's deals by status, stage, currency
-- and own probability, summing the value: with the value last, the index
-- is read in group order (no temporary b-tree for the grouping).
DROP INDEX ix_deals_pipeline_totals;
CREATE INDEX ix_deals_pipeline_totals ON deals (pipeline_id, status, stage_id, currency, probability, value_minor);
