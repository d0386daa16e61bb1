ALTER TABLE canned_responses DROP COLUMN version;
ALTER TABLE sla_policies DROP COLUMN version;
ALTER TABLE work_calendars DROP COLUMN version;
