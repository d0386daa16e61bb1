ALTER TABLE contacts DROP INDEX ix_contacts_owner_stage_city;
