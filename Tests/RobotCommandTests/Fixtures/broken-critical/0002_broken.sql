-- robot:name Broken and critical (v1.1 Update)
-- robot:critical
ALTER TABLE no_such_table ADD COLUMN IF NOT EXISTS x int;
