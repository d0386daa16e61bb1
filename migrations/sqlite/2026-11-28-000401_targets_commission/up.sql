-- Monthly sales targets per rep and team, and commission plans (issue 12).
-- `subject` names who ("user:12", "team:3", or "default" for the plan every
-- rep without their own follows), so the unique keys hold without NULLs.
CREATE TABLE sales_targets (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    subject TEXT NOT NULL,
    user_id BIGINT NULL REFERENCES users (id) ON DELETE CASCADE,
    team_id BIGINT NULL REFERENCES teams (id) ON DELETE CASCADE,
    -- First day of the month, in the workspace's zone.
    month DATE NOT NULL,
    currency TEXT NOT NULL,
    amount_minor BIGINT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1,
    updated_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX ux_sales_targets ON sales_targets (subject, month, currency);
CREATE INDEX ix_sales_targets_month ON sales_targets (month, currency);

-- A plan holds from its month until the subject's next plan; `tiers` is
-- "from_minor:rate_bp" pairs joined by ';', the first from 0 (a flat rate
-- is one tier), marginal like tax brackets.
CREATE TABLE commission_plans (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    subject TEXT NOT NULL,
    user_id BIGINT NULL REFERENCES users (id) ON DELETE CASCADE,
    currency TEXT NOT NULL,
    from_month DATE NOT NULL,
    tiers TEXT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1,
    updated_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX ux_commission_plans ON commission_plans (subject, currency, from_month);
