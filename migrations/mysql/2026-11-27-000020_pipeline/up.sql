-- The lead pipeline (issue 8): pipelines and their stages, the lost-reason
-- catalogue, deals, and the history of every stage change. Deals are a
-- record type: timeline entries, tasks and tags link to them through a
-- deal_id column (see 2026-11-27-000002_any_record for the shape).
--
-- The default pipeline, its stages and lost reasons are stored under
-- catalogue keys (`pipeline-default-…`): the pages show them in the
-- viewer's language until an admin renames them.

CREATE TABLE pipelines (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    name VARCHAR(100) NOT NULL,
    position INT NOT NULL,
    is_default BOOLEAN NOT NULL DEFAULT FALSE,
    created_at DATETIME(6) NOT NULL,
    updated_at DATETIME(6) NOT NULL,
    KEY ix_pipelines_position (position, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE pipeline_stages (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    pipeline_id BIGINT NOT NULL,
    name VARCHAR(100) NOT NULL,
    position INT NOT NULL,
    -- Default win probability, 0–100 (a deal may override it).
    probability INT NOT NULL,
    rot_after_days INT NULL,
    -- open | won | lost: the status a deal in this stage has.
    outcome VARCHAR(8) NOT NULL,
    created_at DATETIME(6) NOT NULL,
    KEY ix_pipeline_stages_pipeline (pipeline_id, position, id),
    CONSTRAINT fk_pipeline_stages_pipeline FOREIGN KEY (pipeline_id) REFERENCES pipelines (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE lost_reasons (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    name VARCHAR(100) NOT NULL,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    position INT NOT NULL,
    created_at DATETIME(6) NOT NULL,
    KEY ix_lost_reasons_position (active, position, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE deals (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    title VARCHAR(200) NOT NULL,
    contact_id BIGINT NULL,
    account_id BIGINT NULL,
    owner_id BIGINT NOT NULL,
    pipeline_id BIGINT NOT NULL,
    stage_id BIGINT NOT NULL,
    value_minor BIGINT NOT NULL,
    currency CHAR(3) NOT NULL,
    expected_close DATE NULL,
    source VARCHAR(20) NOT NULL,
    probability INT NULL,
    status VARCHAR(8) NOT NULL,
    lost_reason_id BIGINT NULL,
    lost_note VARCHAR(1000) NULL,
    won_at DATETIME(6) NULL,
    lost_at DATETIME(6) NULL,
    stage_entered_at DATETIME(6) NOT NULL,
    last_activity_at DATETIME(6) NULL,
    -- Optimistic concurrency: every change is UPDATE … WHERE version = ?.
    version INT NOT NULL DEFAULT 1,
    created_at DATETIME(6) NOT NULL,
    updated_at DATETIME(6) NOT NULL,
    -- A board column's page: one stage's open deals, newest first.
    KEY ix_deals_stage_column (stage_id, status, id),
    -- A board's column totals: read from the index alone.
    KEY ix_deals_pipeline_totals (pipeline_id, status, stage_id, currency, value_minor, probability),
    KEY ix_deals_owner (owner_id, status, id),
    KEY ix_deals_contact (contact_id),
    KEY ix_deals_account (account_id),
    KEY ix_deals_updated (updated_at),
    KEY ix_deals_title (title),
    CONSTRAINT fk_deals_contact FOREIGN KEY (contact_id) REFERENCES contacts (id) ON DELETE SET NULL,
    CONSTRAINT fk_deals_account FOREIGN KEY (account_id) REFERENCES accounts (id) ON DELETE SET NULL,
    CONSTRAINT fk_deals_owner FOREIGN KEY (owner_id) REFERENCES users (id),
    CONSTRAINT fk_deals_pipeline FOREIGN KEY (pipeline_id) REFERENCES pipelines (id),
    CONSTRAINT fk_deals_stage FOREIGN KEY (stage_id) REFERENCES pipeline_stages (id),
    CONSTRAINT fk_deals_lost_reason FOREIGN KEY (lost_reason_id) REFERENCES lost_reasons (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE deal_stage_changes (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    deal_id BIGINT NOT NULL,
    from_stage_id BIGINT NULL,
    to_stage_id BIGINT NOT NULL,
    user_id BIGINT NULL,
    changed_at DATETIME(6) NOT NULL,
    KEY ix_deal_stage_changes_deal (deal_id, changed_at),
    KEY ix_deal_stage_changes_to (to_stage_id, changed_at),
    CONSTRAINT fk_deal_stage_changes_deal FOREIGN KEY (deal_id) REFERENCES deals (id) ON DELETE CASCADE,
    CONSTRAINT fk_deal_stage_changes_from FOREIGN KEY (from_stage_id) REFERENCES pipeline_stages (id),
    CONSTRAINT fk_deal_stage_changes_to FOREIGN KEY (to_stage_id) REFERENCES pipeline_stages (id),
    CONSTRAINT fk_deal_stage_changes_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE SET NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Deals as a record type: entries, tasks and tags link to them too. An
-- entry logged on a deal is filed under its contact and account as well.
ALTER TABLE activities
    ADD COLUMN deal_id BIGINT NULL,
    ADD KEY ix_activities_deal (deal_id, occurred_at),
    ADD CONSTRAINT fk_activities_deal FOREIGN KEY (deal_id) REFERENCES deals (id) ON DELETE CASCADE
    /*M!100201 , DROP CONSTRAINT ck_activities_record */
    /*M!100201 , ADD CONSTRAINT ck_activities_record_deal CHECK (contact_id IS NOT NULL OR account_id IS NOT NULL OR deal_id IS NOT NULL) */;
ALTER TABLE tasks
    ADD COLUMN deal_id BIGINT NULL,
    ADD KEY ix_tasks_deal (deal_id),
    ADD CONSTRAINT fk_tasks_deal FOREIGN KEY (deal_id) REFERENCES deals (id) ON DELETE CASCADE;
ALTER TABLE record_tags
    ADD COLUMN deal_id BIGINT NULL,
    ADD UNIQUE KEY uq_record_tags_deal (deal_id, tag_id),
    ADD KEY ix_record_tags_tag_deal (tag_id, deal_id),
    ADD CONSTRAINT fk_record_tags_deal FOREIGN KEY (deal_id) REFERENCES deals (id) ON DELETE CASCADE
    /*M!100201 , DROP CONSTRAINT ck_record_tags_one_record */
    /*M!100201 , ADD CONSTRAINT ck_record_tags_one_record_deal CHECK ((contact_id IS NOT NULL) + (account_id IS NOT NULL) + (deal_id IS NOT NULL) = 1) */;

-- The default pipeline for a new workspace (names are catalogue keys).
INSERT INTO pipelines (id, name, position, is_default, created_at, updated_at)
    VALUES (1, 'pipeline-default-name', 1, TRUE, UTC_TIMESTAMP(6), UTC_TIMESTAMP(6));
INSERT INTO pipeline_stages (pipeline_id, name, position, probability, rot_after_days, outcome, created_at) VALUES
    (1, 'pipeline-default-stage-lead', 1, 10, 14, 'open', UTC_TIMESTAMP(6)),
    (1, 'pipeline-default-stage-qualified', 2, 25, 14, 'open', UTC_TIMESTAMP(6)),
    (1, 'pipeline-default-stage-proposal', 3, 50, 10, 'open', UTC_TIMESTAMP(6)),
    (1, 'pipeline-default-stage-negotiation', 4, 75, 7, 'open', UTC_TIMESTAMP(6)),
    (1, 'pipeline-default-stage-won', 5, 100, NULL, 'won', UTC_TIMESTAMP(6)),
    (1, 'pipeline-default-stage-lost', 6, 0, NULL, 'lost', UTC_TIMESTAMP(6));
INSERT INTO lost_reasons (name, active, position, created_at) VALUES
    ('pipeline-default-reason-price', TRUE, 1, UTC_TIMESTAMP(6)),
    ('pipeline-default-reason-competitor', TRUE, 2, UTC_TIMESTAMP(6)),
    ('pipeline-default-reason-timing', TRUE, 3, UTC_TIMESTAMP(6)),
    ('pipeline-default-reason-no-response', TRUE, 4, UTC_TIMESTAMP(6)),
    ('pipeline-default-reason-other', TRUE, 5, UTC_TIMESTAMP(6));
