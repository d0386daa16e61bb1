-- jobs.rerun: a job asked to run while it was already running (a write it
-- may not have read). Completing such a run queues it again instead of
-- marking it done; each claim clears the flag.
ALTER TABLE jobs ADD COLUMN rerun BOOLEAN NOT NULL DEFAULT 0;
