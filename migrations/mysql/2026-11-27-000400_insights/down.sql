DROP TABLE co_purchases;
DROP TABLE customer_metrics;
DROP TABLE insight_settings;
