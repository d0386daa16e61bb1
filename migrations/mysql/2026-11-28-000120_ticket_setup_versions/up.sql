-- The ticket setup pages (calendars, SLA policies, canned responses) save
-- an edit only over the version the form was drawn at: one conditional
-- UPDATE … WHERE version = ? (two admins editing the same row: the second
-- is told, not silently overwritten).
ALTER TABLE work_calendars ADD COLUMN version INT NOT NULL DEFAULT 1;
ALTER TABLE sla_policies ADD COLUMN version INT NOT NULL DEFAULT 1;
ALTER TABLE canned_responses ADD COLUMN version INT NOT NULL DEFAULT 1;
