-- Order entry (issue 9): the product catalogue, quotes and orders with
-- their lines, the per-(kind, year) number counters, and the idempotency
-- keys of create/confirm forms. Orders are a record type: timeline
-- entries, tasks and tags link to them through an order_id column.

CREATE TABLE products (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    sku TEXT NOT NULL,
    -- The SKU in lower case: unique regardless of case.
    sku_key TEXT NOT NULL,
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    unit_price_minor BIGINT NOT NULL,
    currency TEXT NOT NULL,
    tax_rate_bp INT NOT NULL,
    active BOOLEAN NOT NULL DEFAULT 1,
    track_stock BOOLEAN NOT NULL DEFAULT 0,
    -- Changed only by conditional UPDATEs (confirm, cancel, the form).
    on_hand BIGINT NOT NULL DEFAULT 0,
    version INT NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    CHECK (on_hand >= 0)
);
CREATE UNIQUE INDEX uq_products_sku_key ON products (sku_key);
CREATE INDEX ix_products_name ON products (name);
CREATE INDEX ix_products_active_name ON products (active, name);
CREATE INDEX ix_products_updated ON products (updated_at);
CREATE INDEX ix_products_price ON products (unit_price_minor);

CREATE TABLE orders (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    -- QT-2026-000001, given when the quote is sent; SO-… on confirmation.
    quote_number TEXT NULL,
    order_number TEXT NULL,
    status TEXT NOT NULL,
    cancel_reason TEXT NULL,
    contact_id BIGINT NULL REFERENCES contacts (id) ON DELETE SET NULL,
    account_id BIGINT NULL REFERENCES accounts (id) ON DELETE SET NULL,
    owner_id BIGINT NOT NULL REFERENCES users (id),
    currency TEXT NOT NULL,
    tax_mode TEXT NOT NULL,
    discount_kind TEXT NOT NULL,
    discount_value BIGINT NOT NULL,
    shipping_minor BIGINT NOT NULL,
    shipping_tax_bp INT NOT NULL,
    subtotal_minor BIGINT NOT NULL,
    discount_minor BIGINT NOT NULL,
    tax_minor BIGINT NOT NULL,
    total_minor BIGINT NOT NULL,
    notes TEXT NOT NULL DEFAULT '',
    -- The won deal this quote was drafted from (one quote per deal).
    deal_id BIGINT NULL REFERENCES deals (id) ON DELETE SET NULL,
    version INT NOT NULL DEFAULT 1,
    confirmed_at TIMESTAMP NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX uq_orders_quote_number ON orders (quote_number);
CREATE UNIQUE INDEX uq_orders_order_number ON orders (order_number);
CREATE UNIQUE INDEX uq_orders_deal ON orders (deal_id);
CREATE INDEX ix_orders_owner ON orders (owner_id, status, id);
CREATE INDEX ix_orders_contact ON orders (contact_id);
CREATE INDEX ix_orders_account ON orders (account_id);
CREATE INDEX ix_orders_updated ON orders (updated_at);
CREATE INDEX ix_orders_created ON orders (created_at);
CREATE INDEX ix_orders_total ON orders (total_minor);
CREATE INDEX ix_orders_status ON orders (status, id);

CREATE TABLE order_lines (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    order_id BIGINT NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    position INT NOT NULL,
    product_id BIGINT NULL REFERENCES products (id) ON DELETE SET NULL,
    -- The product as it was when the line was written.
    sku TEXT NOT NULL,
    name TEXT NOT NULL,
    unit_price_minor BIGINT NOT NULL,
    tax_rate_bp INT NOT NULL,
    quantity_milli BIGINT NOT NULL,
    discount_kind TEXT NOT NULL,
    discount_value BIGINT NOT NULL,
    net_minor BIGINT NOT NULL,
    tax_minor BIGINT NOT NULL,
    total_minor BIGINT NOT NULL
);
CREATE INDEX ix_order_lines_order ON order_lines (order_id, position);
CREATE INDEX ix_order_lines_product ON order_lines (product_id);

-- One row per (document kind, year): the next number to give. Taken by a
-- conditional UPDATE inside the confirming transaction, so a rolled-back
-- confirmation gives its number back (gap-free).
CREATE TABLE doc_counters (
    kind TEXT NOT NULL,
    year INT NOT NULL,
    next_value BIGINT NOT NULL,
    PRIMARY KEY (kind, year)
);

-- A form's one-time key → what its first submission made.
CREATE TABLE idempotency_keys (
    idem_key TEXT NOT NULL PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    purpose TEXT NOT NULL,
    result_id BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX ix_idempotency_keys_created ON idempotency_keys (created_at);

ALTER TABLE workspace_settings ADD COLUMN quote_prefix TEXT NOT NULL DEFAULT 'QT';
ALTER TABLE workspace_settings ADD COLUMN order_prefix TEXT NOT NULL DEFAULT 'SO';

-- Orders as a record type. SQLite cannot change a table's CHECK: the
-- timeline and tag tables are rebuilt with an order_id column (an entry
-- kept on an order whose contact was deleted links to the order alone).
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
    ref_id BIGINT NULL,
    deal_id BIGINT NULL REFERENCES deals (id) ON DELETE CASCADE,
    system_message TEXT NULL,
    order_id BIGINT NULL REFERENCES orders (id) ON DELETE CASCADE,
    CONSTRAINT ck_activities_record_order CHECK (contact_id IS NOT NULL OR account_id IS NOT NULL OR deal_id IS NOT NULL OR order_id IS NOT NULL)
);
INSERT INTO activities_new (id, contact_id, account_id, kind, subject, body, author_id,
                            created_at, occurred_at, ref_type, ref_id, deal_id, system_message)
    SELECT id, contact_id, account_id, kind, subject, body, author_id,
           created_at, occurred_at, ref_type, ref_id, deal_id, system_message FROM activities;
DROP TABLE activities;
ALTER TABLE activities_new RENAME TO activities;
CREATE INDEX ix_activities_contact ON activities (contact_id, occurred_at);
CREATE INDEX ix_activities_account ON activities (account_id, occurred_at);
CREATE INDEX ix_activities_deal ON activities (deal_id, occurred_at);
CREATE INDEX ix_activities_order ON activities (order_id, occurred_at);

CREATE TABLE record_tags_new (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    tag_id BIGINT NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
    contact_id BIGINT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    account_id BIGINT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    deal_id BIGINT NULL REFERENCES deals (id) ON DELETE CASCADE,
    order_id BIGINT NULL REFERENCES orders (id) ON DELETE CASCADE,
    CONSTRAINT ck_record_tags_one_record_order CHECK ((contact_id IS NOT NULL) + (account_id IS NOT NULL) + (deal_id IS NOT NULL) + (order_id IS NOT NULL) = 1)
);
INSERT INTO record_tags_new (id, tag_id, contact_id, account_id, deal_id)
    SELECT id, tag_id, contact_id, account_id, deal_id FROM record_tags;
DROP TABLE record_tags;
ALTER TABLE record_tags_new RENAME TO record_tags;
CREATE UNIQUE INDEX uq_record_tags_contact ON record_tags (contact_id, tag_id);
CREATE UNIQUE INDEX uq_record_tags_account ON record_tags (account_id, tag_id);
CREATE UNIQUE INDEX uq_record_tags_deal ON record_tags (deal_id, tag_id);
CREATE UNIQUE INDEX uq_record_tags_order ON record_tags (order_id, tag_id);
CREATE INDEX ix_record_tags_tag_contact ON record_tags (tag_id, contact_id);
CREATE INDEX ix_record_tags_tag_account ON record_tags (tag_id, account_id);
CREATE INDEX ix_record_tags_tag_deal ON record_tags (tag_id, deal_id);
CREATE INDEX ix_record_tags_tag_order ON record_tags (tag_id, order_id);

ALTER TABLE tasks ADD COLUMN order_id BIGINT NULL REFERENCES orders (id) ON DELETE CASCADE;
CREATE INDEX ix_tasks_order ON tasks (order_id);
