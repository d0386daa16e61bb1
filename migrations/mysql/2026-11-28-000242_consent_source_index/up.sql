-- See the SQLite twin: the unsubscribed-through-a-campaign count as an index read.
CREATE INDEX ix_contacts_consent_source ON contacts (consent_source(64), consent);
