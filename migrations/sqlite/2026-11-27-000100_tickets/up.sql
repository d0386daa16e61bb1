-- Ticket queues (issue 10): work calendars, SLA policies, queues and their
-- members, tickets and their messages (with the Message-ID each carries, so
-- a customer's reply threads back), attachments, canned responses, CSAT
-- ratings and who is looking at a ticket right now. Tickets are a record
-- type: timeline entries, tasks and tags link to them by ticket_id.

CREATE TABLE work_calendars (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    zone TEXT NOT NULL,
    -- Working weekdays, Monday = 1: "1,2,3,4,5".
    working_days TEXT NOT NULL,
    day_start TEXT NOT NULL,
    day_end TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX uq_work_calendars_name ON work_calendars (name);

CREATE TABLE calendar_holidays (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    calendar_id BIGINT NOT NULL REFERENCES work_calendars (id) ON DELETE CASCADE,
    day DATE NOT NULL,
    name TEXT NOT NULL
);
CREATE UNIQUE INDEX uq_calendar_holidays_day ON calendar_holidays (calendar_id, day);

CREATE TABLE sla_policies (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    calendar_id BIGINT NULL REFERENCES work_calendars (id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX uq_sla_policies_name ON sla_policies (name);

CREATE TABLE sla_targets (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    policy_id BIGINT NOT NULL REFERENCES sla_policies (id) ON DELETE CASCADE,
    priority TEXT NOT NULL,
    first_response_minutes INTEGER NOT NULL,
    resolution_minutes INTEGER NOT NULL
);
CREATE UNIQUE INDEX uq_sla_targets_priority ON sla_targets (policy_id, priority);

CREATE TABLE ticket_queues (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    default_priority TEXT NOT NULL,
    sla_policy_id BIGINT NULL REFERENCES sla_policies (id) ON DELETE SET NULL,
    is_default BOOLEAN NOT NULL DEFAULT 0,
    auto_assign BOOLEAN NOT NULL DEFAULT 0,
    -- Round robin: the member who got the last ticket (a conditional
    -- UPDATE moves it from the value read to the next member).
    rr_last_user_id BIGINT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX uq_ticket_queues_name ON ticket_queues (name);

CREATE TABLE queue_members (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    queue_id BIGINT NOT NULL REFERENCES ticket_queues (id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX uq_queue_members ON queue_members (queue_id, user_id);
CREATE INDEX ix_queue_members_user ON queue_members (user_id, queue_id);

CREATE TABLE tickets (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    subject TEXT NOT NULL,
    requester_id BIGINT NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    queue_id BIGINT NOT NULL REFERENCES ticket_queues (id),
    priority TEXT NOT NULL,
    status TEXT NOT NULL,
    assignee_id BIGINT NULL REFERENCES users (id) ON DELETE SET NULL,
    version INTEGER NOT NULL DEFAULT 1,
    -- SLA: targets (business minutes) copied from the policy, minutes used
    -- while the clock ran, when the running stretch began (NULL: paused or
    -- stopped), and the due times (NULL while paused or met).
    first_response_target INTEGER NULL,
    resolution_target INTEGER NULL,
    first_response_used INTEGER NOT NULL DEFAULT 0,
    resolution_used INTEGER NOT NULL DEFAULT 0,
    clock_started_at TIMESTAMP NULL,
    first_response_due TIMESTAMP NULL,
    resolution_due TIMESTAMP NULL,
    -- The nearer of the two running due times: the queue's urgency order.
    sla_due TIMESTAMP NULL,
    first_responded_at TIMESTAMP NULL,
    solved_at TIMESTAMP NULL,
    link_key TEXT NOT NULL,
    order_id BIGINT NULL REFERENCES orders (id) ON DELETE SET NULL,
    account_id BIGINT NULL REFERENCES accounts (id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX ix_tickets_take ON tickets (queue_id, assignee_id, status, sla_due, id);
CREATE INDEX ix_tickets_assignee ON tickets (assignee_id, status, sla_due, id);
CREATE INDEX ix_tickets_status_due ON tickets (status, sla_due, id);
CREATE INDEX ix_tickets_requester ON tickets (requester_id);
CREATE INDEX ix_tickets_updated ON tickets (updated_at, id);
CREATE INDEX ix_tickets_created ON tickets (created_at, id);

CREATE TABLE ticket_messages (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    ticket_id BIGINT NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    author_id BIGINT NULL REFERENCES users (id) ON DELETE SET NULL,
    author_contact_id BIGINT NULL REFERENCES contacts (id) ON DELETE SET NULL,
    body TEXT NOT NULL,
    message_id TEXT NULL,
    outbox_job_id BIGINT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX ix_ticket_messages_ticket ON ticket_messages (ticket_id, created_at, id);
CREATE UNIQUE INDEX uq_ticket_messages_message_id ON ticket_messages (message_id);

CREATE TABLE ticket_attachments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    ticket_id BIGINT NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    message_id BIGINT NOT NULL REFERENCES ticket_messages (id) ON DELETE CASCADE,
    filename TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size_bytes BIGINT NOT NULL,
    stored_name TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX ix_ticket_attachments_message ON ticket_attachments (message_id);
CREATE INDEX ix_ticket_attachments_ticket ON ticket_attachments (ticket_id);

CREATE TABLE canned_responses (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX uq_canned_responses_title ON canned_responses (title);

CREATE TABLE csat_ratings (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    ticket_id BIGINT NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    queue_id BIGINT NOT NULL,
    agent_id BIGINT NULL,
    score INTEGER NOT NULL,
    comment TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    CONSTRAINT ck_csat_score CHECK (score BETWEEN 1 AND 5)
);
CREATE UNIQUE INDEX uq_csat_ticket ON csat_ratings (ticket_id);
CREATE INDEX ix_csat_queue ON csat_ratings (queue_id, created_at);
CREATE INDEX ix_csat_agent ON csat_ratings (agent_id, created_at);

CREATE TABLE ticket_viewers (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    ticket_id BIGINT NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    replying BOOLEAN NOT NULL DEFAULT 0,
    seen_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX uq_ticket_viewers ON ticket_viewers (ticket_id, user_id);

-- A workspace starts with one queue ("Support", where mail and the public
-- form land), a standard policy and an office-hours calendar; admins
-- change them on the admin pages.
INSERT INTO work_calendars (name, zone, working_days, day_start, day_end, created_at)
    VALUES ('Office hours', 'UTC', '1,2,3,4,5', '09:00', '17:00', CURRENT_TIMESTAMP);
INSERT INTO sla_policies (name, calendar_id, created_at)
    SELECT 'Standard', id, CURRENT_TIMESTAMP FROM work_calendars WHERE name = 'Office hours';
INSERT INTO sla_targets (policy_id, priority, first_response_minutes, resolution_minutes)
    SELECT id, 'low', 480, 4800 FROM sla_policies WHERE name = 'Standard';
INSERT INTO sla_targets (policy_id, priority, first_response_minutes, resolution_minutes)
    SELECT id, 'normal', 240, 2400 FROM sla_policies WHERE name = 'Standard';
INSERT INTO sla_targets (policy_id, priority, first_response_minutes, resolution_minutes)
    SELECT id, 'high', 60, 960 FROM sla_policies WHERE name = 'Standard';
INSERT INTO sla_targets (policy_id, priority, first_response_minutes, resolution_minutes)
    SELECT id, 'urgent', 30, 240 FROM sla_policies WHERE name = 'Standard';
INSERT INTO ticket_queues (name, default_priority, sla_policy_id, is_default, auto_assign, created_at)
    SELECT 'Support', 'normal', id, 1, 0, CURRENT_TIMESTAMP FROM sla_policies WHERE name = 'Standard';

-- Tickets as a record type (see the orders migration for why SQLite
-- rebuilds the timeline and tag tables: their CHECKs name every column).
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
    system_message TEXT NULL,
    order_id BIGINT NULL REFERENCES orders (id) ON DELETE CASCADE,
    ticket_id BIGINT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    CONSTRAINT ck_activities_record_ticket CHECK (contact_id IS NOT NULL OR account_id IS NOT NULL OR deal_id IS NOT NULL OR order_id IS NOT NULL OR ticket_id IS NOT NULL)
);
INSERT INTO activities_new (id, contact_id, account_id, kind, subject, body, author_id,
                            created_at, occurred_at, ref_type, ref_id, deal_id, system_message, order_id)
    SELECT id, contact_id, account_id, kind, subject, body, author_id,
           created_at, occurred_at, ref_type, ref_id, deal_id, system_message, order_id FROM activities;
DROP TABLE activities;
ALTER TABLE activities_new RENAME TO activities;
CREATE INDEX ix_activities_contact ON activities (contact_id, occurred_at);
CREATE INDEX ix_activities_account ON activities (account_id, occurred_at);
CREATE INDEX ix_activities_deal ON activities (deal_id, occurred_at);
CREATE INDEX ix_activities_order ON activities (order_id, occurred_at);
CREATE INDEX ix_activities_ticket ON activities (ticket_id, occurred_at);

CREATE TABLE record_tags_new (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    tag_id BIGINT NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
    contact_id BIGINT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    account_id BIGINT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    deal_id BIGINT NULL REFERENCES deals (id) ON DELETE CASCADE,
    order_id BIGINT NULL REFERENCES orders (id) ON DELETE CASCADE,
    ticket_id BIGINT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    CONSTRAINT ck_record_tags_one_record_ticket CHECK ((contact_id IS NOT NULL) + (account_id IS NOT NULL) + (deal_id IS NOT NULL) + (order_id IS NOT NULL) + (ticket_id IS NOT NULL) = 1)
);
INSERT INTO record_tags_new (id, tag_id, contact_id, account_id, deal_id, order_id)
    SELECT id, tag_id, contact_id, account_id, deal_id, order_id FROM record_tags;
DROP TABLE record_tags;
ALTER TABLE record_tags_new RENAME TO record_tags;
CREATE UNIQUE INDEX uq_record_tags_contact ON record_tags (contact_id, tag_id);
CREATE UNIQUE INDEX uq_record_tags_account ON record_tags (account_id, tag_id);
CREATE UNIQUE INDEX uq_record_tags_deal ON record_tags (deal_id, tag_id);
CREATE UNIQUE INDEX uq_record_tags_order ON record_tags (order_id, tag_id);
CREATE UNIQUE INDEX uq_record_tags_ticket ON record_tags (ticket_id, tag_id);
CREATE INDEX ix_record_tags_tag_contact ON record_tags (tag_id, contact_id);
CREATE INDEX ix_record_tags_tag_account ON record_tags (tag_id, account_id);
CREATE INDEX ix_record_tags_tag_deal ON record_tags (tag_id, deal_id);
CREATE INDEX ix_record_tags_tag_order ON record_tags (tag_id, order_id);
CREATE INDEX ix_record_tags_tag_ticket ON record_tags (tag_id, ticket_id);

ALTER TABLE tasks ADD COLUMN ticket_id BIGINT NULL REFERENCES tickets (id) ON DELETE CASCADE;
CREATE INDEX ix_tasks_ticket ON tasks (ticket_id);
