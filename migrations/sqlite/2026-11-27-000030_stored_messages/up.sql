-- Texts Rapport writes for itself are stored as a message key and
-- arguments (JSON, `i18n::StoredMessage`) and worded when shown, in the
-- reader's language. The old English columns stay for rows written before;
-- rows whose English this migration recognises are converted, any other
-- old row is shown as it was stored.
ALTER TABLE activities ADD COLUMN system_message TEXT NULL;
ALTER TABLE audit_log ADD COLUMN summary_message TEXT NULL;
ALTER TABLE import_errors ADD COLUMN problem_message TEXT NULL;

-- Timeline: consent changes (every pair of labels).
UPDATE activities SET system_message = '{"key":"contacts-consent-changed","args":{"after":{"key":"contacts-consent-subscribed"},"before":{"key":"contacts-consent-never-asked"}}}'
    WHERE kind = 'consent' AND system_message IS NULL AND subject = 'Marketing consent: Never asked → Subscribed';
UPDATE activities SET system_message = '{"key":"contacts-consent-changed","args":{"after":{"key":"contacts-consent-unsubscribed"},"before":{"key":"contacts-consent-never-asked"}}}'
    WHERE kind = 'consent' AND system_message IS NULL AND subject = 'Marketing consent: Never asked → Unsubscribed';
UPDATE activities SET system_message = '{"key":"contacts-consent-changed","args":{"after":{"key":"contacts-consent-bounced"},"before":{"key":"contacts-consent-never-asked"}}}'
    WHERE kind = 'consent' AND system_message IS NULL AND subject = 'Marketing consent: Never asked → Bounced';
UPDATE activities SET system_message = '{"key":"contacts-consent-changed","args":{"after":{"key":"contacts-consent-never-asked"},"before":{"key":"contacts-consent-subscribed"}}}'
    WHERE kind = 'consent' AND system_message IS NULL AND subject = 'Marketing consent: Subscribed → Never asked';
UPDATE activities SET system_message = '{"key":"contacts-consent-changed","args":{"after":{"key":"contacts-consent-unsubscribed"},"before":{"key":"contacts-consent-subscribed"}}}'
    WHERE kind = 'consent' AND system_message IS NULL AND subject = 'Marketing consent: Subscribed → Unsubscribed';
UPDATE activities SET system_message = '{"key":"contacts-consent-changed","args":{"after":{"key":"contacts-consent-bounced"},"before":{"key":"contacts-consent-subscribed"}}}'
    WHERE kind = 'consent' AND system_message IS NULL AND subject = 'Marketing consent: Subscribed → Bounced';
UPDATE activities SET system_message = '{"key":"contacts-consent-changed","args":{"after":{"key":"contacts-consent-never-asked"},"before":{"key":"contacts-consent-unsubscribed"}}}'
    WHERE kind = 'consent' AND system_message IS NULL AND subject = 'Marketing consent: Unsubscribed → Never asked';
UPDATE activities SET system_message = '{"key":"contacts-consent-changed","args":{"after":{"key":"contacts-consent-subscribed"},"before":{"key":"contacts-consent-unsubscribed"}}}'
    WHERE kind = 'consent' AND system_message IS NULL AND subject = 'Marketing consent: Unsubscribed → Subscribed';
UPDATE activities SET system_message = '{"key":"contacts-consent-changed","args":{"after":{"key":"contacts-consent-bounced"},"before":{"key":"contacts-consent-unsubscribed"}}}'
    WHERE kind = 'consent' AND system_message IS NULL AND subject = 'Marketing consent: Unsubscribed → Bounced';
UPDATE activities SET system_message = '{"key":"contacts-consent-changed","args":{"after":{"key":"contacts-consent-never-asked"},"before":{"key":"contacts-consent-bounced"}}}'
    WHERE kind = 'consent' AND system_message IS NULL AND subject = 'Marketing consent: Bounced → Never asked';
UPDATE activities SET system_message = '{"key":"contacts-consent-changed","args":{"after":{"key":"contacts-consent-subscribed"},"before":{"key":"contacts-consent-bounced"}}}'
    WHERE kind = 'consent' AND system_message IS NULL AND subject = 'Marketing consent: Bounced → Subscribed';
UPDATE activities SET system_message = '{"key":"contacts-consent-changed","args":{"after":{"key":"contacts-consent-unsubscribed"},"before":{"key":"contacts-consent-bounced"}}}'
    WHERE kind = 'consent' AND system_message IS NULL AND subject = 'Marketing consent: Bounced → Unsubscribed';

-- Timeline: merges (“Merged with NAME (#ID); …”, ID the merged contact).
UPDATE activities
    SET system_message = json_object('key', 'contacts-merge-note', 'args',
        json_object('name', substr(body, 13, length(body) - 58 - length(ref_id)), 'id', ref_id))
    WHERE kind = 'merge' AND system_message IS NULL AND ref_type = 'contact' AND ref_id IS NOT NULL
      AND body LIKE 'Merged with % (#%); its timeline, tasks and tags moved here.'
      AND length(body) > 58 + length(ref_id);
UPDATE activities SET subject = NULL, body = ''
    WHERE kind IN ('consent', 'merge') AND system_message IS NOT NULL;

-- Audit log: the summaries with a fixed wording.
UPDATE audit_log SET summary_message = '{"key":"audit-own-password-changed"}'
    WHERE action = 'password_change' AND summary_message IS NULL AND summary = 'Changed own password; other sessions ended';
UPDATE audit_log SET summary_message = '{"key":"audit-own-sessions-revoked"}'
    WHERE action = 'sessions_revoked' AND summary_message IS NULL AND summary = 'Signed out all other sessions';
UPDATE audit_log
    SET summary_message = json_object('key', 'audit-setup', 'args', json_object('email', substr(summary, 21, length(summary) - 28)))
    WHERE action = 'setup' AND entity = 'user' AND summary_message IS NULL
      AND summary LIKE 'First administrator % created' AND length(summary) > 28;
UPDATE audit_log
    SET summary_message = json_object('key', 'audit-admin-created-cli', 'args', json_object('email', substr(summary, 15, length(summary) - 44)))
    WHERE action = 'create' AND entity = 'user' AND summary_message IS NULL
      AND summary LIKE 'Administrator % created from the command line' AND length(summary) > 44;
UPDATE audit_log
    SET summary_message = json_object('key', 'audit-user-password-reset', 'args', json_object('email', substr(summary, 20, length(summary) - 41)))
    WHERE action = 'password_reset' AND entity = 'user' AND summary_message IS NULL
      AND summary LIKE 'Password reset for %; their sessions ended' AND length(summary) > 41;
UPDATE audit_log
    SET summary_message = json_object('key', 'audit-user-sessions-revoked', 'args', json_object('email', substr(summary, 29, length(summary) - 28)))
    WHERE action = 'sessions_revoked' AND entity = 'user' AND summary_message IS NULL
      AND summary LIKE 'Signed out every session of %' AND length(summary) > 28;
UPDATE audit_log
    SET summary_message = json_object('key', 'audit-team-deleted', 'args', json_object('name', substr(summary, 6, length(summary) - 35)))
    WHERE action = 'delete' AND entity = 'team' AND summary_message IS NULL
      AND summary LIKE 'Team %; its members now have no team' AND length(summary) > 35;
UPDATE audit_log
    SET summary_message = json_object('key', 'audit-team-created', 'args', json_object('name', substr(summary, 6, length(summary) - 5)))
    WHERE action = 'create' AND entity = 'team' AND summary_message IS NULL
      AND summary LIKE 'Team %' AND length(summary) > 5;
UPDATE audit_log
    SET summary_message = json_object('key', 'audit-contacts-exported', 'args', json_object('count', CAST(substr(summary, 10, length(summary) - 25) AS INTEGER)))
    WHERE action = 'export' AND entity = 'contact' AND summary_message IS NULL
      AND summary LIKE 'Exported % contacts as CSV' AND length(summary) > 25;
UPDATE audit_log SET summary = '' WHERE summary_message IS NOT NULL;

-- Import row errors with a fixed wording.
UPDATE import_errors SET problem_message = '{"key":"error-import-outside-scope"}'
    WHERE problem_message IS NULL AND message = 'a contact with this email exists outside your records';
UPDATE import_errors SET message = '' WHERE problem_message IS NOT NULL;

-- Contacts: where consent came from. A message is longer than the text was.
UPDATE contacts
    SET consent_source = json_object('key', 'contacts-consent-set-by', 'args',
        json_object('name', substr(consent_source, 8, length(consent_source) - 27)))
    WHERE consent_source LIKE 'Set by % on the contact form' AND length(consent_source) > 27;
