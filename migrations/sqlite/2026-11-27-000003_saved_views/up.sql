-- Saved views of record lists (a name for a filtered, sorted list; pinned
-- above the list; optionally shared with the owner's team), and indexes
-- for the list sorts that had none (keyset paging walks them).

CREATE TABLE saved_views (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    list TEXT NOT NULL,
    name TEXT NOT NULL,
    query_string TEXT NOT NULL,
    pinned BOOLEAN NOT NULL,
    shared BOOLEAN NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX ix_saved_views_user ON saved_views (user_id, list);

CREATE INDEX ix_contacts_created ON contacts (created_at);
CREATE INDEX ix_accounts_created ON accounts (created_at);
-- (industry and city: 2026-11-27-000007_account_filter_indexes)
