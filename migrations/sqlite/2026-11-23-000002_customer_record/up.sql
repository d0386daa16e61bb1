-- Accounts (companies), richer contacts, tags, tasks, a timeline that other
-- modules write into, and CSV imports.

CREATE TABLE accounts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL COLLATE NOCASE,
    domain TEXT NULL COLLATE NOCASE,
    industry TEXT NULL,
    size TEXT NULL,
    phone TEXT NULL,
    address TEXT NULL,
    city TEXT NULL COLLATE NOCASE,
    country TEXT NULL,
    owner_id BIGINT NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX ix_accounts_name ON accounts (name);
CREATE INDEX ix_accounts_domain ON accounts (domain);
CREATE INDEX ix_accounts_updated ON accounts (updated_at);
CREATE INDEX ix_accounts_owner_updated ON accounts (owner_id, updated_at);

ALTER TABLE contacts ADD COLUMN account_id BIGINT NULL REFERENCES accounts (id) ON DELETE SET NULL;
ALTER TABLE contacts ADD COLUMN title TEXT NULL;
ALTER TABLE contacts ADD COLUMN address TEXT NULL;
ALTER TABLE contacts ADD COLUMN city TEXT NULL COLLATE NOCASE;
ALTER TABLE contacts ADD COLUMN country TEXT NULL;
ALTER TABLE contacts ADD COLUMN lifecycle TEXT NOT NULL DEFAULT 'prospect';
ALTER TABLE contacts ADD COLUMN source TEXT NULL;
ALTER TABLE contacts ADD COLUMN consent TEXT NOT NULL DEFAULT 'never_asked';
ALTER TABLE contacts ADD COLUMN consent_changed_at TIMESTAMP NULL;
ALTER TABLE contacts ADD COLUMN consent_source TEXT NULL;
CREATE INDEX ix_contacts_account ON contacts (account_id);
CREATE INDEX ix_contacts_owner_updated ON contacts (owner_id, updated_at);
CREATE INDEX ix_contacts_first ON contacts (first_name);
CREATE INDEX ix_contacts_phone ON contacts (phone);
CREATE INDEX ix_contacts_city ON contacts (city);

-- Free-text company names become accounts.
INSERT INTO accounts (name, owner_id, created_at, updated_at)
    SELECT company_name, MIN(owner_id), MIN(created_at), MAX(updated_at)
    FROM contacts WHERE company_name IS NOT NULL AND company_name <> ''
    GROUP BY company_name;
UPDATE contacts SET account_id = (SELECT a.id FROM accounts a WHERE a.name = contacts.company_name)
    WHERE company_name IS NOT NULL AND company_name <> '';
DROP INDEX ix_contacts_company;
ALTER TABLE contacts DROP COLUMN company_name;

-- SQLite cannot alter a column: rebuild the timeline table.
CREATE TABLE activities_new (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    contact_id BIGINT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    account_id BIGINT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    subject TEXT NULL,
    body TEXT NOT NULL,
    author_id BIGINT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    occurred_at TIMESTAMP NOT NULL,
    ref_type TEXT NULL,
    ref_id BIGINT NULL
);
INSERT INTO activities_new (id, contact_id, kind, body, author_id, created_at, occurred_at)
    SELECT id, contact_id, kind, body, author_id, created_at, created_at FROM activities;
DROP TABLE activities;
ALTER TABLE activities_new RENAME TO activities;
CREATE INDEX ix_activities_contact ON activities (contact_id, occurred_at);
CREATE INDEX ix_activities_account ON activities (account_id, occurred_at);

CREATE TABLE tags (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL COLLATE NOCASE
);
CREATE UNIQUE INDEX uq_tags_name ON tags (name);

CREATE TABLE contact_tags (
    contact_id BIGINT NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    tag_id BIGINT NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
    PRIMARY KEY (contact_id, tag_id)
);
CREATE INDEX ix_contact_tags_tag ON contact_tags (tag_id);

CREATE TABLE account_tags (
    account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    tag_id BIGINT NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
    PRIMARY KEY (account_id, tag_id)
);
CREATE INDEX ix_account_tags_tag ON account_tags (tag_id);

CREATE TABLE tasks (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    title TEXT NOT NULL,
    due_on DATE NOT NULL,
    assignee_id BIGINT NOT NULL REFERENCES users (id),
    contact_id BIGINT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    account_id BIGINT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    created_by BIGINT NULL REFERENCES users (id) ON DELETE SET NULL,
    done_at TIMESTAMP NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX ix_tasks_assignee ON tasks (assignee_id, done_at, due_on);
CREATE INDEX ix_tasks_contact ON tasks (contact_id);
CREATE INDEX ix_tasks_account ON tasks (account_id);

CREATE TABLE imports (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id BIGINT NOT NULL REFERENCES users (id),
    file_name TEXT NOT NULL,
    status TEXT NOT NULL,
    mapping TEXT NOT NULL,
    on_match TEXT NOT NULL,
    total_rows BIGINT NOT NULL,
    processed_rows BIGINT NOT NULL,
    created_count BIGINT NOT NULL,
    updated_count BIGINT NOT NULL,
    skipped_count BIGINT NOT NULL,
    error_count BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    finished_at TIMESTAMP NULL
);
CREATE INDEX ix_imports_user ON imports (user_id, created_at);

CREATE TABLE import_errors (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    import_id BIGINT NOT NULL REFERENCES imports (id) ON DELETE CASCADE,
    line_number BIGINT NOT NULL,
    message TEXT NOT NULL
);
CREATE INDEX ix_import_errors_import ON import_errors (import_id, line_number);
