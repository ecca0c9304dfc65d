-- expect allow-unknown-rule 2:1
-- robot:allow truncate-table sessions are disposable
SELECT 1;
