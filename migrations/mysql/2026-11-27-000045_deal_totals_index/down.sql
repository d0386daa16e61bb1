ALTER TABLE deals
    DROP INDEX ix_deals_pipeline_totals,
    ADD INDEX ix_deals_pipeline_totals (pipeline_id, status, stage_id, currency, value_minor, probability);
