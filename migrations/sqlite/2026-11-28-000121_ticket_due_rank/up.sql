-- The queue's order as plain indexable columns (see the MariaDB migration):
-- `due_rank` is the running SLA due or the far future; `take_rank` the same
-- for tickets Take next may hand out, NULL otherwise. Computed by the
-- database (SQLite adds generated columns as VIRTUAL; they index the same).
ALTER TABLE tickets ADD COLUMN due_rank TIMESTAMP
    GENERATED ALWAYS AS (COALESCE(sla_due, '9999-12-31 00:00:00')) VIRTUAL;
ALTER TABLE tickets ADD COLUMN take_rank TIMESTAMP
    GENERATED ALWAYS AS (CASE WHEN assignee_id IS NULL AND status IN ('new', 'open')
                              THEN COALESCE(sla_due, '9999-12-31 00:00:00') END) VIRTUAL;
CREATE INDEX ix_tickets_due_rank ON tickets (due_rank, id);
CREATE INDEX ix_tickets_take_rank ON tickets (take_rank, id);
CREATE INDEX ix_tickets_assignee_rank ON tickets (assignee_id, due_rank, id);
CREATE INDEX ix_tickets_status_rank ON tickets (status, due_rank, id);
-- The queue dashboard's weeks read only what was answered, solved or rated
-- within them.
CREATE INDEX ix_tickets_responded ON tickets (first_responded_at);
CREATE INDEX ix_tickets_solved ON tickets (solved_at);
CREATE INDEX ix_csat_created ON csat_ratings (created_at);
DROP INDEX ix_tickets_assignee;
DROP INDEX ix_tickets_status_due;
