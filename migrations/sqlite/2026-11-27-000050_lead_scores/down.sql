DROP TABLE lead_score_models;
ALTER TABLE deals DROP COLUMN scored_at;
ALTER TABLE deals DROP COLUMN score;
