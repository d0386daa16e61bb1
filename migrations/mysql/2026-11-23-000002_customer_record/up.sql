-- Accounts (companies), richer contacts, tags, tasks, a timeline that other
-- modules write into, and CSV imports.

CREATE TABLE accounts (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    name VARCHAR(200) NOT NULL,
    domain VARCHAR(253) NULL,
    industry VARCHAR(100) NULL,
    size VARCHAR(20) NULL,
    phone VARCHAR(50) NULL,
    address VARCHAR(300) NULL,
    city VARCHAR(100) NULL,
    country VARCHAR(100) NULL,
    owner_id BIGINT NOT NULL,
    created_at DATETIME(6) NOT NULL,
    updated_at DATETIME(6) NOT NULL,
    KEY ix_accounts_name (name),
    KEY ix_accounts_domain (domain),
    KEY ix_accounts_updated (updated_at),
    KEY ix_accounts_owner_updated (owner_id, updated_at),
    CONSTRAINT fk_accounts_owner FOREIGN KEY (owner_id) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

ALTER TABLE contacts
    ADD COLUMN account_id BIGINT NULL AFTER company_name,
    ADD COLUMN title VARCHAR(100) NULL,
    ADD COLUMN address VARCHAR(300) NULL,
    ADD COLUMN city VARCHAR(100) NULL,
    ADD COLUMN country VARCHAR(100) NULL,
    ADD COLUMN lifecycle VARCHAR(20) NOT NULL DEFAULT 'prospect',
    ADD COLUMN source VARCHAR(50) NULL,
    ADD COLUMN consent VARCHAR(20) NOT NULL DEFAULT 'never_asked',
    ADD COLUMN consent_changed_at DATETIME(6) NULL,
    ADD COLUMN consent_source VARCHAR(100) NULL,
    ADD KEY ix_contacts_account (account_id),
    ADD KEY ix_contacts_owner_updated (owner_id, updated_at),
    ADD KEY ix_contacts_first (first_name),
    ADD KEY ix_contacts_phone (phone),
    ADD KEY ix_contacts_city (city),
    ADD CONSTRAINT fk_contacts_account FOREIGN KEY (account_id) REFERENCES accounts (id) ON DELETE SET NULL;

-- Free-text company names become accounts.
INSERT INTO accounts (name, owner_id, created_at, updated_at)
    SELECT company_name, MIN(owner_id), MIN(created_at), MAX(updated_at)
    FROM contacts WHERE company_name IS NOT NULL AND company_name <> ''
    GROUP BY company_name;
UPDATE contacts c JOIN accounts a ON a.name = c.company_name SET c.account_id = a.id;
ALTER TABLE contacts DROP INDEX ix_contacts_company, DROP COLUMN company_name;

ALTER TABLE activities
    MODIFY contact_id BIGINT NULL,
    MODIFY author_id BIGINT NULL,
    ADD COLUMN account_id BIGINT NULL AFTER contact_id,
    ADD COLUMN subject VARCHAR(200) NULL AFTER kind,
    ADD COLUMN occurred_at DATETIME(6) NULL,
    ADD COLUMN ref_type VARCHAR(30) NULL,
    ADD COLUMN ref_id BIGINT NULL,
    ADD KEY ix_activities_account (account_id, occurred_at),
    ADD CONSTRAINT fk_activities_account FOREIGN KEY (account_id) REFERENCES accounts (id) ON DELETE CASCADE;
UPDATE activities SET occurred_at = created_at;
ALTER TABLE activities MODIFY occurred_at DATETIME(6) NOT NULL,
    DROP INDEX ix_activities_contact,
    ADD KEY ix_activities_contact (contact_id, occurred_at);

CREATE TABLE tags (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    name VARCHAR(50) NOT NULL,
    UNIQUE KEY uq_tags_name (name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE contact_tags (
    contact_id BIGINT NOT NULL,
    tag_id BIGINT NOT NULL,
    PRIMARY KEY (contact_id, tag_id),
    KEY ix_contact_tags_tag (tag_id),
    CONSTRAINT fk_contact_tags_contact FOREIGN KEY (contact_id) REFERENCES contacts (id) ON DELETE CASCADE,
    CONSTRAINT fk_contact_tags_tag FOREIGN KEY (tag_id) REFERENCES tags (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE account_tags (
    account_id BIGINT NOT NULL,
    tag_id BIGINT NOT NULL,
    PRIMARY KEY (account_id, tag_id),
    KEY ix_account_tags_tag (tag_id),
    CONSTRAINT fk_account_tags_account FOREIGN KEY (account_id) REFERENCES accounts (id) ON DELETE CASCADE,
    CONSTRAINT fk_account_tags_tag FOREIGN KEY (tag_id) REFERENCES tags (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE tasks (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    title VARCHAR(200) NOT NULL,
    due_on DATE NOT NULL,
    assignee_id BIGINT NOT NULL,
    contact_id BIGINT NULL,
    account_id BIGINT NULL,
    created_by BIGINT NULL,
    done_at DATETIME(6) NULL,
    created_at DATETIME(6) NOT NULL,
    updated_at DATETIME(6) NOT NULL,
    KEY ix_tasks_assignee (assignee_id, done_at, due_on),
    KEY ix_tasks_contact (contact_id),
    KEY ix_tasks_account (account_id),
    CONSTRAINT fk_tasks_assignee FOREIGN KEY (assignee_id) REFERENCES users (id),
    CONSTRAINT fk_tasks_creator FOREIGN KEY (created_by) REFERENCES users (id) ON DELETE SET NULL,
    CONSTRAINT fk_tasks_contact FOREIGN KEY (contact_id) REFERENCES contacts (id) ON DELETE CASCADE,
    CONSTRAINT fk_tasks_account FOREIGN KEY (account_id) REFERENCES accounts (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE imports (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    user_id BIGINT NOT NULL,
    file_name VARCHAR(255) NOT NULL,
    status VARCHAR(20) NOT NULL,
    mapping TEXT NOT NULL,
    on_match VARCHAR(10) NOT NULL,
    total_rows BIGINT NOT NULL,
    processed_rows BIGINT NOT NULL,
    created_count BIGINT NOT NULL,
    updated_count BIGINT NOT NULL,
    skipped_count BIGINT NOT NULL,
    error_count BIGINT NOT NULL,
    created_at DATETIME(6) NOT NULL,
    updated_at DATETIME(6) NOT NULL,
    finished_at DATETIME(6) NULL,
    KEY ix_imports_user (user_id, created_at),
    CONSTRAINT fk_imports_user FOREIGN KEY (user_id) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE import_errors (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    import_id BIGINT NOT NULL,
    line_number BIGINT NOT NULL,
    message VARCHAR(500) NOT NULL,
    KEY ix_import_errors_import (import_id, line_number),
    CONSTRAINT fk_import_errors_import FOREIGN KEY (import_id) REFERENCES imports (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
