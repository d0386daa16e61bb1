DROP TABLE duplicate_scans;
DROP TABLE duplicate_members;
