-- Insights: the workspace's metric settings (one row), the per-customer
-- figures the insights job derives (lifecycle stage, RFM scores, CLV), and
-- the co-purchase pairs behind "bought together".
CREATE TABLE insight_settings (
    id BIGINT PRIMARY KEY NOT NULL,
    discount_bp BIGINT NOT NULL,
    horizon_years INTEGER NOT NULL,
    churn_days BIGINT NOT NULL,
    margin_bp BIGINT NOT NULL,
    growing_orders BIGINT NOT NULL,
    loyal_orders BIGINT NOT NULL,
    min_support BIGINT NOT NULL,
    version BIGINT NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
INSERT INTO insight_settings VALUES (1, 1000, 5, 180, 3000, 2, 5, 2, 0, strftime('%Y-%m-%d %H:%M:%f', 'now'));

CREATE TABLE customer_metrics (
    contact_id BIGINT PRIMARY KEY NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    stage TEXT NOT NULL,
    recency INTEGER NOT NULL,
    frequency INTEGER NOT NULL,
    monetary INTEGER NOT NULL,
    rfm TEXT NOT NULL,
    orders BIGINT NOT NULL,
    revenue_minor BIGINT NOT NULL,
    currency TEXT NOT NULL,
    computed_at TIMESTAMP NOT NULL
);
CREATE INDEX customer_metrics_rfm ON customer_metrics (rfm);
CREATE INDEX customer_metrics_stage ON customer_metrics (stage);

CREATE TABLE co_purchases (
    product_id BIGINT NOT NULL REFERENCES products(id) ON DELETE CASCADE,
    other_id BIGINT NOT NULL REFERENCES products(id) ON DELETE CASCADE,
    support BIGINT NOT NULL,
    PRIMARY KEY (product_id, other_id)
);
CREATE INDEX co_purchases_rank ON co_purchases (product_id, support);
