-- Saved views of record lists (a name for a filtered, sorted list; pinned
-- above the list; optionally shared with the owner's team), and indexes
-- for the list sorts that had none (keyset paging walks them).

CREATE TABLE saved_views (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    user_id BIGINT NOT NULL,
    list VARCHAR(30) NOT NULL,
    name VARCHAR(100) NOT NULL,
    query_string VARCHAR(2000) NOT NULL,
    pinned BOOLEAN NOT NULL,
    shared BOOLEAN NOT NULL,
    created_at DATETIME(6) NOT NULL,
    updated_at DATETIME(6) NOT NULL,
    KEY ix_saved_views_user (user_id, list),
    CONSTRAINT fk_saved_views_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

ALTER TABLE contacts ADD KEY ix_contacts_created (created_at);
-- (industry and city: 2026-11-27-000007_account_filter_indexes)
ALTER TABLE accounts ADD KEY ix_accounts_created (created_at);
