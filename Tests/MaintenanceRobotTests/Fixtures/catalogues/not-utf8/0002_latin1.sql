-- robot:name Broken
SELECT 1;
SELECT ÿþ;
