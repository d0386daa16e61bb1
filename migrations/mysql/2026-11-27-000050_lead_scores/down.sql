DROP TABLE lead_score_models;
ALTER TABLE deals DROP COLUMN scored_at, DROP COLUMN score;
