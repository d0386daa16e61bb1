DROP TABLE commission_plans;
DROP TABLE sales_targets;
