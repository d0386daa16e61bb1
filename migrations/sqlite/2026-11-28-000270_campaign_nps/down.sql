DROP TABLE nps_responses;
ALTER TABLE campaigns DROP COLUMN kind;
