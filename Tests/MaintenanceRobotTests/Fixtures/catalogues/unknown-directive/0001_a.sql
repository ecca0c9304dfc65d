-- robot:name Typo in the header
-- robot:critcal
SELECT 1;
