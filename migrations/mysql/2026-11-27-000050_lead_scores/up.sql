-- Lead scoring (issue 8): the `score_leads` job trains a logistic-regression
-- model on the won and lost deals (src/scoring) and writes each open deal's
-- score (0–100) onto the deal, so the board reads it as a column and never
-- computes a score per request. Each run keeps a row here: the model as
-- JSON (features, means, scales, weights, intercept, AUC), or why none was
-- trained (too little history).

ALTER TABLE deals
    ADD COLUMN score INT NULL,
    ADD COLUMN scored_at DATETIME(6) NULL;

CREATE TABLE lead_score_models (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    -- trained | too_little (lead_scores' typed `RunOutcome`).
    outcome VARCHAR(16) NOT NULL,
    trained_at DATETIME(6) NOT NULL,
    examples INT NOT NULL,
    won INT NOT NULL,
    lost INT NOT NULL,
    -- Area under the ROC curve on the training history, in basis points.
    auc_bp INT NULL,
    -- The `scoring::Model` as JSON; NULL when none was trained.
    model TEXT NULL,
    -- Open deals scored by this run.
    scored INT NOT NULL,
    KEY ix_lead_score_models_trained (trained_at, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
