DROP INDEX ix_deals_owner_column ON deals;
DROP INDEX ix_deals_value ON deals;
DROP INDEX ix_deals_close ON deals;
ALTER TABLE deals
    DROP INDEX ix_deals_pipeline_totals,
    ADD INDEX ix_deals_pipeline_totals (pipeline_id, status, stage_id, currency, value_minor, probability);
