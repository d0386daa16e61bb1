-- See the MySQL migration: lead scores on deals and the trained models.
ALTER TABLE deals ADD COLUMN score INT NULL;
ALTER TABLE deals ADD COLUMN scored_at TIMESTAMP NULL;

CREATE TABLE lead_score_models (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    outcome TEXT NOT NULL,
    trained_at TIMESTAMP NOT NULL,
    examples INT NOT NULL,
    won INT NOT NULL,
    lost INT NOT NULL,
    auc_bp INT NULL,
    model TEXT NULL,
    scored INT NOT NULL
);
CREATE INDEX ix_lead_score_models_trained ON lead_score_models (trained_at, id);
