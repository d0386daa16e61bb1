-- The lead pipeline (issue 8): pipelines and their stages, the lost-reason
-- catalogue, deals, and the history of every stage change. Deals are a
-- record type: timeline entries, tasks and tags link to them through a
-- deal_id column (see 2026-11-27-000002_any_record for the shape).
--
-- The default pipeline, its stages and lost reasons are stored under
-- catalogue keys (`pipeline-default-…`): the pages show them in the
-- viewer's language until an admin renames them.

CREATE TABLE pipelines (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    position INT NOT NULL,
    is_default BOOLEAN NOT NULL DEFAULT 0,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX ix_pipelines_position ON pipelines (position, id);

CREATE TABLE pipeline_stages (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    pipeline_id BIGINT NOT NULL REFERENCES pipelines (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    position INT NOT NULL,
    -- Default win probability, 0–100 (a deal may override it).
    probability INT NOT NULL,
    rot_after_days INT NULL,
    -- open | won | lost: the status a deal in this stage has.
    outcome TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX ix_pipeline_stages_pipeline ON pipeline_stages (pipeline_id, position, id);

CREATE TABLE lost_reasons (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    active BOOLEAN NOT NULL DEFAULT 1,
    position INT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX ix_lost_reasons_position ON lost_reasons (active, position, id);

CREATE TABLE deals (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    title TEXT NOT NULL,
    contact_id BIGINT NULL REFERENCES contacts (id) ON DELETE SET NULL,
    account_id BIGINT NULL REFERENCES accounts (id) ON DELETE SET NULL,
    owner_id BIGINT NOT NULL REFERENCES users (id),
    pipeline_id BIGINT NOT NULL REFERENCES pipelines (id),
    stage_id BIGINT NOT NULL REFERENCES pipeline_stages (id),
    value_minor BIGINT NOT NULL,
    currency TEXT NOT NULL,
    expected_close DATE NULL,
    source TEXT NOT NULL,
    probability INT NULL,
    status TEXT NOT NULL,
    lost_reason_id BIGINT NULL REFERENCES lost_reasons (id),
    lost_note TEXT NULL,
    won_at TIMESTAMP NULL,
    lost_at TIMESTAMP NULL,
    stage_entered_at TIMESTAMP NOT NULL,
    last_activity_at TIMESTAMP NULL,
    -- Optimistic concurrency: every change is UPDATE … WHERE version = ?.
    version INT NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
-- A board column's page: one stage's open deals, newest first.
CREATE INDEX ix_deals_stage_column ON deals (stage_id, status, id);
-- A board's column totals: read from the index alone.
CREATE INDEX ix_deals_pipeline_totals ON deals (pipeline_id, status, stage_id, currency, value_minor, probability);
CREATE INDEX ix_deals_owner ON deals (owner_id, status, id);
CREATE INDEX ix_deals_contact ON deals (contact_id);
CREATE INDEX ix_deals_account ON deals (account_id);
CREATE INDEX ix_deals_updated ON deals (updated_at);
CREATE INDEX ix_deals_title ON deals (title);

CREATE TABLE deal_stage_changes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    deal_id BIGINT NOT NULL REFERENCES deals (id) ON DELETE CASCADE,
    from_stage_id BIGINT NULL REFERENCES pipeline_stages (id),
    to_stage_id BIGINT NOT NULL REFERENCES pipeline_stages (id),
    user_id BIGINT NULL REFERENCES users (id) ON DELETE SET NULL,
    changed_at TIMESTAMP NOT NULL
);
CREATE INDEX ix_deal_stage_changes_deal ON deal_stage_changes (deal_id, changed_at);
CREATE INDEX ix_deal_stage_changes_to ON deal_stage_changes (to_stage_id, changed_at);

-- Deals as a record type. SQLite cannot change a table's CHECK: the
-- timeline and tag tables are rebuilt with a deal_id column.
CREATE TABLE activities_new (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    contact_id BIGINT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    account_id BIGINT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    subject TEXT NULL,
    body TEXT NOT NULL,
    author_id BIGINT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    occurred_at TIMESTAMP NOT NULL,
    ref_type TEXT NULL,
    ref_id BIGINT NULL,
    deal_id BIGINT NULL REFERENCES deals (id) ON DELETE CASCADE,
    CONSTRAINT ck_activities_record_deal CHECK (contact_id IS NOT NULL OR account_id IS NOT NULL OR deal_id IS NOT NULL)
);
INSERT INTO activities_new (id, contact_id, account_id, kind, subject, body, author_id,
                            created_at, occurred_at, ref_type, ref_id)
    SELECT id, contact_id, account_id, kind, subject, body, author_id,
           created_at, occurred_at, ref_type, ref_id FROM activities;
DROP TABLE activities;
ALTER TABLE activities_new RENAME TO activities;
CREATE INDEX ix_activities_contact ON activities (contact_id, occurred_at);
CREATE INDEX ix_activities_account ON activities (account_id, occurred_at);
CREATE INDEX ix_activities_deal ON activities (deal_id, occurred_at);

CREATE TABLE record_tags_new (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    tag_id BIGINT NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
    contact_id BIGINT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    account_id BIGINT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    deal_id BIGINT NULL REFERENCES deals (id) ON DELETE CASCADE,
    CONSTRAINT ck_record_tags_one_record_deal CHECK ((contact_id IS NOT NULL) + (account_id IS NOT NULL) + (deal_id IS NOT NULL) = 1)
);
INSERT INTO record_tags_new (id, tag_id, contact_id, account_id)
    SELECT id, tag_id, contact_id, account_id FROM record_tags;
DROP TABLE record_tags;
ALTER TABLE record_tags_new RENAME TO record_tags;
CREATE UNIQUE INDEX uq_record_tags_contact ON record_tags (contact_id, tag_id);
CREATE UNIQUE INDEX uq_record_tags_account ON record_tags (account_id, tag_id);
CREATE UNIQUE INDEX uq_record_tags_deal ON record_tags (deal_id, tag_id);
CREATE INDEX ix_record_tags_tag_contact ON record_tags (tag_id, contact_id);
CREATE INDEX ix_record_tags_tag_account ON record_tags (tag_id, account_id);
CREATE INDEX ix_record_tags_tag_deal ON record_tags (tag_id, deal_id);

ALTER TABLE tasks ADD COLUMN deal_id BIGINT NULL REFERENCES deals (id) ON DELETE CASCADE;
CREATE INDEX ix_tasks_deal ON tasks (deal_id);

-- The default pipeline for a new workspace (names are catalogue keys).
INSERT INTO pipelines (id, name, position, is_default, created_at, updated_at)
    VALUES (1, 'pipeline-default-name', 1, 1, strftime('%Y-%m-%d %H:%M:%f', 'now'), strftime('%Y-%m-%d %H:%M:%f', 'now'));
INSERT INTO pipeline_stages (pipeline_id, name, position, probability, rot_after_days, outcome, created_at) VALUES
    (1, 'pipeline-default-stage-lead', 1, 10, 14, 'open', strftime('%Y-%m-%d %H:%M:%f', 'now')),
    (1, 'pipeline-default-stage-qualified', 2, 25, 14, 'open', strftime('%Y-%m-%d %H:%M:%f', 'now')),
    (1, 'pipeline-default-stage-proposal', 3, 50, 10, 'open', strftime('%Y-%m-%d %H:%M:%f', 'now')),
    (1, 'pipeline-default-stage-negotiation', 4, 75, 7, 'open', strftime('%Y-%m-%d %H:%M:%f', 'now')),
    (1, 'pipeline-default-stage-won', 5, 100, NULL, 'won', strftime('%Y-%m-%d %H:%M:%f', 'now')),
    (1, 'pipeline-default-stage-lost', 6, 0, NULL, 'lost', strftime('%Y-%m-%d %H:%M:%f', 'now'));
INSERT INTO lost_reasons (name, active, position, created_at) VALUES
    ('pipeline-default-reason-price', 1, 1, strftime('%Y-%m-%d %H:%M:%f', 'now')),
    ('pipeline-default-reason-competitor', 1, 2, strftime('%Y-%m-%d %H:%M:%f', 'now')),
    ('pipeline-default-reason-timing', 1, 3, strftime('%Y-%m-%d %H:%M:%f', 'now')),
    ('pipeline-default-reason-no-response', 1, 4, strftime('%Y-%m-%d %H:%M:%f', 'now')),
    ('pipeline-default-reason-other', 1, 5, strftime('%Y-%m-%d %H:%M:%f', 'now'));
