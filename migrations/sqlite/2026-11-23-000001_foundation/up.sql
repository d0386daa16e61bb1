CREATE TABLE teams (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL COLLATE NOCASE,
    created_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX uq_teams_name ON teams (name);

CREATE TABLE roles (
    name TEXT NOT NULL PRIMARY KEY,
    record_scope TEXT NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
INSERT INTO roles (name, record_scope, updated_at) VALUES
    ('admin', 'all', strftime('%Y-%m-%d %H:%M:%f', 'now')),
    ('manager', 'team', strftime('%Y-%m-%d %H:%M:%f', 'now')),
    ('sales', 'own', strftime('%Y-%m-%d %H:%M:%f', 'now')),
    ('support', 'team', strftime('%Y-%m-%d %H:%M:%f', 'now')),
    ('marketing', 'all', strftime('%Y-%m-%d %H:%M:%f', 'now'));

CREATE TABLE users (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    email TEXT NOT NULL COLLATE NOCASE,
    name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL REFERENCES roles (name),
    team_id BIGINT NULL REFERENCES teams (id) ON DELETE SET NULL,
    active BOOLEAN NOT NULL,
    session_epoch BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    last_login_at TIMESTAMP NULL
);
CREATE UNIQUE INDEX uq_users_email ON users (email);
CREATE INDEX ix_users_team ON users (team_id);

CREATE TABLE contacts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    first_name TEXT NOT NULL COLLATE NOCASE,
    last_name TEXT NOT NULL COLLATE NOCASE,
    email TEXT NULL COLLATE NOCASE,
    phone TEXT NULL,
    company_name TEXT NULL COLLATE NOCASE,
    owner_id BIGINT NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX ix_contacts_owner ON contacts (owner_id);
CREATE INDEX ix_contacts_name ON contacts (last_name, first_name);
CREATE INDEX ix_contacts_email ON contacts (email);
CREATE INDEX ix_contacts_company ON contacts (company_name);
CREATE INDEX ix_contacts_updated ON contacts (updated_at);

CREATE TABLE activities (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    contact_id BIGINT NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    body TEXT NOT NULL,
    author_id BIGINT NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX ix_activities_contact ON activities (contact_id, created_at);

CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    actor_id BIGINT NULL REFERENCES users (id) ON DELETE SET NULL,
    action TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id BIGINT NULL,
    summary TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX ix_audit_created ON audit_log (created_at);
CREATE INDEX ix_audit_entity ON audit_log (entity, entity_id);
