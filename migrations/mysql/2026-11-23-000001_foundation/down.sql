DROP TABLE audit_log;
DROP TABLE activities;
DROP TABLE contacts;
DROP TABLE users;
DROP TABLE roles;
DROP TABLE teams;
