ALTER TABLE contacts DROP COLUMN language;
