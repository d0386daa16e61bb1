-- The board's totals group a pipeline's deals by status, stage, currency
-- and own probability, summing the value: with the value last, the index
-- is read in group order (no temporary table, no sort).
ALTER TABLE deals
    DROP INDEX ix_deals_pipeline_totals,
    ADD INDEX ix_deals_pipeline_totals (pipeline_id, status, stage_id, currency, probability, value_minor);
