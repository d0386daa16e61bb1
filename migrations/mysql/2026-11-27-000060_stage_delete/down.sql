ALTER TABLE pipelines DROP COLUMN deleted_at;
ALTER TABLE pipeline_stages DROP COLUMN deleted_at;
