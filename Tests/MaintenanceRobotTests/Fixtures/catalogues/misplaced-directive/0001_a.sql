-- robot:name Late directive
SELECT 1;
-- robot:critical
SELECT 2;
