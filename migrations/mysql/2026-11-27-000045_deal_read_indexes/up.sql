-- The board's totals group a pipeline's deals by status, stage, currency
-- and own probability, summing the value: with the value after them, the
-- index is read in group order; with the owner and source last, the
-- board's owner, "my deals" and source filters read the index alone.
ALTER TABLE deals
    DROP INDEX ix_deals_pipeline_totals,
    ADD INDEX ix_deals_pipeline_totals (pipeline_id, status, stage_id, currency, probability, value_minor, owner_id, source);

-- A sales rep's board (and any board filtered by owner): each column's
-- newest open cards of these owners, read in order, not found by walking
-- every deal of the stage.
CREATE INDEX ix_deals_owner_column ON deals (owner_id, stage_id, status, id);
-- The deal list sorted by value or by expected close walks an index.
CREATE INDEX ix_deals_value ON deals (value_minor, id);
CREATE INDEX ix_deals_close ON deals (expected_close, id);
