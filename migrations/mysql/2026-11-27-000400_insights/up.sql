-- Insights: see the SQLite twin for the commentary.
CREATE TABLE insight_settings (
    id BIGINT NOT NULL PRIMARY KEY,
    discount_bp BIGINT NOT NULL,
    horizon_years INT NOT NULL,
    churn_days BIGINT NOT NULL,
    margin_bp BIGINT NOT NULL,
    growing_orders BIGINT NOT NULL,
    loyal_orders BIGINT NOT NULL,
    min_support BIGINT NOT NULL,
    version BIGINT NOT NULL,
    updated_at DATETIME(6) NOT NULL,
    CONSTRAINT ck_insight_settings_one_row CHECK (id = 1)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
INSERT INTO insight_settings VALUES (1, 1000, 5, 180, 3000, 2, 5, 2, 0, UTC_TIMESTAMP(6));

CREATE TABLE customer_metrics (
    contact_id BIGINT NOT NULL PRIMARY KEY,
    stage VARCHAR(20) NOT NULL,
    recency INT NOT NULL,
    frequency INT NOT NULL,
    monetary INT NOT NULL,
    rfm CHAR(3) NOT NULL,
    orders BIGINT NOT NULL,
    revenue_minor BIGINT NOT NULL,
    currency CHAR(3) NOT NULL,
    computed_at DATETIME(6) NOT NULL,
    KEY ix_customer_metrics_rfm (rfm),
    KEY ix_customer_metrics_stage (stage),
    CONSTRAINT fk_customer_metrics_contact FOREIGN KEY (contact_id) REFERENCES contacts (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE co_purchases (
    product_id BIGINT NOT NULL,
    other_id BIGINT NOT NULL,
    support BIGINT NOT NULL,
    PRIMARY KEY (product_id, other_id),
    KEY ix_co_purchases_rank (product_id, support),
    CONSTRAINT fk_co_purchases_product FOREIGN KEY (product_id) REFERENCES products (id) ON DELETE CASCADE,
    CONSTRAINT fk_co_purchases_other FOREIGN KEY (other_id) REFERENCES products (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
