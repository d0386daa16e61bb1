-- The queue's order as plain indexable columns. `due_rank` is the running
-- SLA due, or the far future for a ticket whose clock is paused or
-- stopped, so "most urgent first" is one index walk instead of a sort of
-- every open ticket by (sla_due IS NULL, sla_due). `take_rank` is the same
-- but only for tickets Take next may hand out (unassigned, new or open):
-- the next candidates are the first entries of its index. Both are
-- computed by the database from the row, so no write can forget them.
-- `take_rank` is VIRTUAL (indexed, not stored): MariaDB refuses a stored
-- column over `assignee_id`, whose foreign key sets it NULL on delete.
ALTER TABLE tickets
    ADD COLUMN due_rank DATETIME(6) AS (COALESCE(sla_due, TIMESTAMP'9999-12-31 00:00:00')) STORED,
    ADD COLUMN take_rank DATETIME(6) AS (
        CASE WHEN assignee_id IS NULL AND status IN ('new', 'open')
             THEN COALESCE(sla_due, TIMESTAMP'9999-12-31 00:00:00') END) VIRTUAL;
CREATE INDEX ix_tickets_due_rank ON tickets (due_rank, id);
CREATE INDEX ix_tickets_take_rank ON tickets (take_rank, id);
CREATE INDEX ix_tickets_assignee_rank ON tickets (assignee_id, due_rank, id);
CREATE INDEX ix_tickets_status_rank ON tickets (status, due_rank, id);
-- The queue dashboard's weeks read only what was answered, solved or rated
-- within them.
CREATE INDEX ix_tickets_responded ON tickets (first_responded_at);
CREATE INDEX ix_tickets_solved ON tickets (solved_at);
CREATE INDEX ix_csat_created ON csat_ratings (created_at);
DROP INDEX ix_tickets_assignee ON tickets;
DROP INDEX ix_tickets_status_due ON tickets;
