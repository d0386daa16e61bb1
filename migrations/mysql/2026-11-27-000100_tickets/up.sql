-- Ticket queues (issue 10): see the SQLite twin for the commentary.

CREATE TABLE work_calendars (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    name VARCHAR(200) NOT NULL,
    zone VARCHAR(64) NOT NULL,
    working_days VARCHAR(20) NOT NULL,
    day_start VARCHAR(5) NOT NULL,
    day_end VARCHAR(5) NOT NULL,
    created_at DATETIME(6) NOT NULL,
    UNIQUE KEY uq_work_calendars_name (name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE calendar_holidays (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    calendar_id BIGINT NOT NULL,
    day DATE NOT NULL,
    name VARCHAR(200) NOT NULL,
    UNIQUE KEY uq_calendar_holidays_day (calendar_id, day),
    CONSTRAINT fk_calendar_holidays_calendar FOREIGN KEY (calendar_id) REFERENCES work_calendars (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE sla_policies (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    name VARCHAR(200) NOT NULL,
    calendar_id BIGINT NULL,
    created_at DATETIME(6) NOT NULL,
    UNIQUE KEY uq_sla_policies_name (name),
    CONSTRAINT fk_sla_policies_calendar FOREIGN KEY (calendar_id) REFERENCES work_calendars (id) ON DELETE SET NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE sla_targets (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    policy_id BIGINT NOT NULL,
    priority VARCHAR(10) NOT NULL,
    first_response_minutes INT NOT NULL,
    resolution_minutes INT NOT NULL,
    UNIQUE KEY uq_sla_targets_priority (policy_id, priority),
    CONSTRAINT fk_sla_targets_policy FOREIGN KEY (policy_id) REFERENCES sla_policies (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE ticket_queues (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    name VARCHAR(200) NOT NULL,
    default_priority VARCHAR(10) NOT NULL,
    sla_policy_id BIGINT NULL,
    is_default BOOLEAN NOT NULL DEFAULT FALSE,
    auto_assign BOOLEAN NOT NULL DEFAULT FALSE,
    rr_last_user_id BIGINT NULL,
    created_at DATETIME(6) NOT NULL,
    UNIQUE KEY uq_ticket_queues_name (name),
    CONSTRAINT fk_ticket_queues_policy FOREIGN KEY (sla_policy_id) REFERENCES sla_policies (id) ON DELETE SET NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE queue_members (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    queue_id BIGINT NOT NULL,
    user_id BIGINT NOT NULL,
    UNIQUE KEY uq_queue_members (queue_id, user_id),
    KEY ix_queue_members_user (user_id, queue_id),
    CONSTRAINT fk_queue_members_queue FOREIGN KEY (queue_id) REFERENCES ticket_queues (id) ON DELETE CASCADE,
    CONSTRAINT fk_queue_members_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE tickets (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    subject VARCHAR(500) NOT NULL,
    requester_id BIGINT NOT NULL,
    queue_id BIGINT NOT NULL,
    priority VARCHAR(10) NOT NULL,
    status VARCHAR(10) NOT NULL,
    assignee_id BIGINT NULL,
    version INT NOT NULL DEFAULT 1,
    first_response_target INT NULL,
    resolution_target INT NULL,
    first_response_used INT NOT NULL DEFAULT 0,
    resolution_used INT NOT NULL DEFAULT 0,
    clock_started_at DATETIME(6) NULL,
    first_response_due DATETIME(6) NULL,
    resolution_due DATETIME(6) NULL,
    sla_due DATETIME(6) NULL,
    first_responded_at DATETIME(6) NULL,
    solved_at DATETIME(6) NULL,
    link_key VARCHAR(64) NOT NULL,
    order_id BIGINT NULL,
    account_id BIGINT NULL,
    created_at DATETIME(6) NOT NULL,
    updated_at DATETIME(6) NOT NULL,
    KEY ix_tickets_take (queue_id, assignee_id, status, sla_due, id),
    KEY ix_tickets_assignee (assignee_id, status, sla_due, id),
    KEY ix_tickets_status_due (status, sla_due, id),
    KEY ix_tickets_requester (requester_id),
    KEY ix_tickets_updated (updated_at, id),
    KEY ix_tickets_created (created_at, id),
    CONSTRAINT fk_tickets_requester FOREIGN KEY (requester_id) REFERENCES contacts (id) ON DELETE CASCADE,
    CONSTRAINT fk_tickets_queue FOREIGN KEY (queue_id) REFERENCES ticket_queues (id),
    CONSTRAINT fk_tickets_assignee FOREIGN KEY (assignee_id) REFERENCES users (id) ON DELETE SET NULL,
    CONSTRAINT fk_tickets_order FOREIGN KEY (order_id) REFERENCES orders (id) ON DELETE SET NULL,
    CONSTRAINT fk_tickets_account FOREIGN KEY (account_id) REFERENCES accounts (id) ON DELETE SET NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE ticket_messages (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    ticket_id BIGINT NOT NULL,
    kind VARCHAR(20) NOT NULL,
    author_id BIGINT NULL,
    author_contact_id BIGINT NULL,
    body MEDIUMTEXT NOT NULL,
    message_id VARCHAR(255) NULL,
    outbox_job_id BIGINT NULL,
    created_at DATETIME(6) NOT NULL,
    KEY ix_ticket_messages_ticket (ticket_id, created_at, id),
    UNIQUE KEY uq_ticket_messages_message_id (message_id),
    CONSTRAINT fk_ticket_messages_ticket FOREIGN KEY (ticket_id) REFERENCES tickets (id) ON DELETE CASCADE,
    CONSTRAINT fk_ticket_messages_author FOREIGN KEY (author_id) REFERENCES users (id) ON DELETE SET NULL,
    CONSTRAINT fk_ticket_messages_contact FOREIGN KEY (author_contact_id) REFERENCES contacts (id) ON DELETE SET NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE ticket_attachments (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    ticket_id BIGINT NOT NULL,
    message_id BIGINT NOT NULL,
    filename VARCHAR(255) NOT NULL,
    content_type VARCHAR(255) NOT NULL,
    size_bytes BIGINT NOT NULL,
    stored_name VARCHAR(100) NOT NULL,
    created_at DATETIME(6) NOT NULL,
    KEY ix_ticket_attachments_message (message_id),
    KEY ix_ticket_attachments_ticket (ticket_id),
    CONSTRAINT fk_ticket_attachments_ticket FOREIGN KEY (ticket_id) REFERENCES tickets (id) ON DELETE CASCADE,
    CONSTRAINT fk_ticket_attachments_message FOREIGN KEY (message_id) REFERENCES ticket_messages (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE canned_responses (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    title VARCHAR(200) NOT NULL,
    body TEXT NOT NULL,
    created_at DATETIME(6) NOT NULL,
    updated_at DATETIME(6) NOT NULL,
    UNIQUE KEY uq_canned_responses_title (title)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE csat_ratings (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    ticket_id BIGINT NOT NULL,
    queue_id BIGINT NOT NULL,
    agent_id BIGINT NULL,
    score INT NOT NULL,
    comment TEXT NOT NULL,
    created_at DATETIME(6) NOT NULL,
    UNIQUE KEY uq_csat_ticket (ticket_id),
    KEY ix_csat_queue (queue_id, created_at),
    KEY ix_csat_agent (agent_id, created_at),
    CONSTRAINT fk_csat_ticket FOREIGN KEY (ticket_id) REFERENCES tickets (id) ON DELETE CASCADE,
    CONSTRAINT ck_csat_score CHECK (score BETWEEN 1 AND 5)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE ticket_viewers (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    ticket_id BIGINT NOT NULL,
    user_id BIGINT NOT NULL,
    replying BOOLEAN NOT NULL DEFAULT FALSE,
    seen_at DATETIME(6) NOT NULL,
    UNIQUE KEY uq_ticket_viewers (ticket_id, user_id),
    CONSTRAINT fk_ticket_viewers_ticket FOREIGN KEY (ticket_id) REFERENCES tickets (id) ON DELETE CASCADE,
    CONSTRAINT fk_ticket_viewers_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

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

-- Tickets as a record type: entries, tasks and tags link to them too.
ALTER TABLE activities
    ADD COLUMN ticket_id BIGINT NULL,
    ADD KEY ix_activities_ticket (ticket_id, occurred_at),
    ADD CONSTRAINT fk_activities_ticket FOREIGN KEY (ticket_id) REFERENCES tickets (id) ON DELETE CASCADE
    /*M!100201 , DROP CONSTRAINT ck_activities_record_order */
    /*M!100201 , ADD CONSTRAINT ck_activities_record_ticket CHECK (contact_id IS NOT NULL OR account_id IS NOT NULL OR deal_id IS NOT NULL OR order_id IS NOT NULL OR ticket_id IS NOT NULL) */;
ALTER TABLE tasks
    ADD COLUMN ticket_id BIGINT NULL,
    ADD KEY ix_tasks_ticket (ticket_id),
    ADD CONSTRAINT fk_tasks_ticket FOREIGN KEY (ticket_id) REFERENCES tickets (id) ON DELETE CASCADE;
ALTER TABLE record_tags
    ADD COLUMN ticket_id BIGINT NULL,
    ADD UNIQUE KEY uq_record_tags_ticket (ticket_id, tag_id),
    ADD KEY ix_record_tags_tag_ticket (tag_id, ticket_id),
    ADD CONSTRAINT fk_record_tags_ticket FOREIGN KEY (ticket_id) REFERENCES tickets (id) ON DELETE CASCADE
    /*M!100201 , DROP CONSTRAINT ck_record_tags_one_record_order */
    /*M!100201 , ADD CONSTRAINT ck_record_tags_one_record_ticket CHECK ((contact_id IS NOT NULL) + (account_id IS NOT NULL) + (deal_id IS NOT NULL) + (order_id IS NOT NULL) + (ticket_id IS NOT NULL) = 1) */;
