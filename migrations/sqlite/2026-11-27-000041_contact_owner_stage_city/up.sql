-- See the MySQL migration: the owner, stage and city filters together.
CREATE INDEX ix_contacts_owner_stage_city ON contacts (owner_id, lifecycle, city);
