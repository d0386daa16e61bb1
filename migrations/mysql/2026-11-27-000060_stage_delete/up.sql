-- Deleting stages and pipelines (issue 8): a deleted one is kept, marked,
-- because the stage history of deals (deal_stage_changes) still names it;
-- every read of the pipeline's shape skips it.
ALTER TABLE pipeline_stages ADD COLUMN deleted_at DATETIME(6) NULL;
ALTER TABLE pipelines ADD COLUMN deleted_at DATETIME(6) NULL;
