-- Monthly sales targets per rep and team, and commission plans (issue 12).
-- `subject` names who ("user:12", "team:3", or "default" for the plan every
-- rep without their own follows), so the unique keys hold without NULLs.
CREATE TABLE sales_targets (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    subject VARCHAR(40) NOT NULL,
    user_id BIGINT NULL,
    team_id BIGINT NULL,
    -- First day of the month, in the workspace's zone.
    month DATE NOT NULL,
    currency VARCHAR(3) NOT NULL,
    amount_minor BIGINT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1,
    updated_at DATETIME(6) NOT NULL,
    UNIQUE KEY ux_sales_targets (subject, month, currency),
    KEY ix_sales_targets_month (month, currency),
    CONSTRAINT fk_sales_targets_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
    CONSTRAINT fk_sales_targets_team FOREIGN KEY (team_id) REFERENCES teams (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- A plan holds from its month until the subject's next plan; `tiers` is
-- "from_minor:rate_bp" pairs joined by ';', the first from 0 (a flat rate
-- is one tier), marginal like tax brackets.
CREATE TABLE commission_plans (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    subject VARCHAR(40) NOT NULL,
    user_id BIGINT NULL,
    currency VARCHAR(3) NOT NULL,
    from_month DATE NOT NULL,
    tiers VARCHAR(400) NOT NULL,
    version BIGINT NOT NULL DEFAULT 1,
    updated_at DATETIME(6) NOT NULL,
    UNIQUE KEY ux_commission_plans (subject, currency, from_month),
    CONSTRAINT fk_commission_plans_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
