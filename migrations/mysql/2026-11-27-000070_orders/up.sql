-- Order entry (issue 9): see the SQLite twin for the commentary.

CREATE TABLE products (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    sku VARCHAR(64) NOT NULL,
    sku_key VARCHAR(64) NOT NULL,
    name VARCHAR(200) NOT NULL,
    description TEXT NOT NULL,
    unit_price_minor BIGINT NOT NULL,
    currency CHAR(3) NOT NULL,
    tax_rate_bp INT NOT NULL,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    track_stock BOOLEAN NOT NULL DEFAULT FALSE,
    on_hand BIGINT NOT NULL DEFAULT 0,
    version INT NOT NULL DEFAULT 1,
    created_at DATETIME(6) NOT NULL,
    updated_at DATETIME(6) NOT NULL,
    UNIQUE KEY uq_products_sku_key (sku_key),
    KEY ix_products_name (name),
    KEY ix_products_active_name (active, name),
    KEY ix_products_updated (updated_at),
    KEY ix_products_price (unit_price_minor),
    CONSTRAINT ck_products_on_hand CHECK (on_hand >= 0)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE orders (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    quote_number VARCHAR(40) NULL,
    order_number VARCHAR(40) NULL,
    status VARCHAR(12) NOT NULL,
    cancel_reason VARCHAR(1000) NULL,
    contact_id BIGINT NULL,
    account_id BIGINT NULL,
    owner_id BIGINT NOT NULL,
    currency CHAR(3) NOT NULL,
    tax_mode VARCHAR(10) NOT NULL,
    discount_kind VARCHAR(8) NOT NULL,
    discount_value BIGINT NOT NULL,
    shipping_minor BIGINT NOT NULL,
    shipping_tax_bp INT NOT NULL,
    subtotal_minor BIGINT NOT NULL,
    discount_minor BIGINT NOT NULL,
    tax_minor BIGINT NOT NULL,
    total_minor BIGINT NOT NULL,
    notes TEXT NOT NULL,
    deal_id BIGINT NULL,
    version INT NOT NULL DEFAULT 1,
    confirmed_at DATETIME(6) NULL,
    created_at DATETIME(6) NOT NULL,
    updated_at DATETIME(6) NOT NULL,
    UNIQUE KEY uq_orders_quote_number (quote_number),
    UNIQUE KEY uq_orders_order_number (order_number),
    UNIQUE KEY uq_orders_deal (deal_id),
    KEY ix_orders_owner (owner_id, status, id),
    KEY ix_orders_contact (contact_id),
    KEY ix_orders_account (account_id),
    KEY ix_orders_updated (updated_at),
    KEY ix_orders_created (created_at),
    KEY ix_orders_total (total_minor),
    KEY ix_orders_status (status, id),
    CONSTRAINT fk_orders_contact FOREIGN KEY (contact_id) REFERENCES contacts (id) ON DELETE SET NULL,
    CONSTRAINT fk_orders_account FOREIGN KEY (account_id) REFERENCES accounts (id) ON DELETE SET NULL,
    CONSTRAINT fk_orders_owner FOREIGN KEY (owner_id) REFERENCES users (id),
    CONSTRAINT fk_orders_deal FOREIGN KEY (deal_id) REFERENCES deals (id) ON DELETE SET NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE order_lines (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    order_id BIGINT NOT NULL,
    position INT NOT NULL,
    product_id BIGINT NULL,
    sku VARCHAR(64) NOT NULL,
    name VARCHAR(200) NOT NULL,
    unit_price_minor BIGINT NOT NULL,
    tax_rate_bp INT NOT NULL,
    quantity_milli BIGINT NOT NULL,
    discount_kind VARCHAR(8) NOT NULL,
    discount_value BIGINT NOT NULL,
    net_minor BIGINT NOT NULL,
    tax_minor BIGINT NOT NULL,
    total_minor BIGINT NOT NULL,
    KEY ix_order_lines_order (order_id, position),
    KEY ix_order_lines_product (product_id),
    CONSTRAINT fk_order_lines_order FOREIGN KEY (order_id) REFERENCES orders (id) ON DELETE CASCADE,
    CONSTRAINT fk_order_lines_product FOREIGN KEY (product_id) REFERENCES products (id) ON DELETE SET NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE doc_counters (
    kind VARCHAR(8) NOT NULL,
    year INT NOT NULL,
    next_value BIGINT NOT NULL,
    PRIMARY KEY (kind, year)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE idempotency_keys (
    idem_key VARCHAR(64) NOT NULL PRIMARY KEY,
    user_id BIGINT NOT NULL,
    purpose VARCHAR(16) NOT NULL,
    result_id BIGINT NOT NULL,
    created_at DATETIME(6) NOT NULL,
    KEY ix_idempotency_keys_created (created_at),
    CONSTRAINT fk_idempotency_keys_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

ALTER TABLE workspace_settings
    ADD COLUMN quote_prefix VARCHAR(10) NOT NULL DEFAULT 'QT',
    ADD COLUMN order_prefix VARCHAR(10) NOT NULL DEFAULT 'SO';

-- Orders as a record type: entries, tasks and tags link to them too; an
-- entry kept on an order whose contact was deleted links to the order alone.
ALTER TABLE activities
    ADD COLUMN order_id BIGINT NULL,
    ADD KEY ix_activities_order (order_id, occurred_at),
    ADD CONSTRAINT fk_activities_order FOREIGN KEY (order_id) REFERENCES orders (id) ON DELETE CASCADE
    /*M!100201 , DROP CONSTRAINT ck_activities_record_deal */
    /*M!100201 , ADD CONSTRAINT ck_activities_record_order CHECK (contact_id IS NOT NULL OR account_id IS NOT NULL OR deal_id IS NOT NULL OR order_id IS NOT NULL) */;
ALTER TABLE tasks
    ADD COLUMN order_id BIGINT NULL,
    ADD KEY ix_tasks_order (order_id),
    ADD CONSTRAINT fk_tasks_order FOREIGN KEY (order_id) REFERENCES orders (id) ON DELETE CASCADE;
ALTER TABLE record_tags
    ADD COLUMN order_id BIGINT NULL,
    ADD UNIQUE KEY uq_record_tags_order (order_id, tag_id),
    ADD KEY ix_record_tags_tag_order (tag_id, order_id),
    ADD CONSTRAINT fk_record_tags_order FOREIGN KEY (order_id) REFERENCES orders (id) ON DELETE CASCADE
    /*M!100201 , DROP CONSTRAINT ck_record_tags_one_record_deal */
    /*M!100201 , ADD CONSTRAINT ck_record_tags_one_record_order CHECK ((contact_id IS NOT NULL) + (account_id IS NOT NULL) + (deal_id IS NOT NULL) + (order_id IS NOT NULL) = 1) */;
