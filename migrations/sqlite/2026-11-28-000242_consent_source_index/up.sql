-- A campaign's page counts the contacts unsubscribed through it
-- (`consent_source = 'campaign:<id>:unsubscribe'`) every second while it
-- sends: an index read instead of a scan of every contact.
CREATE INDEX ix_contacts_consent_source ON contacts (consent_source, consent);
