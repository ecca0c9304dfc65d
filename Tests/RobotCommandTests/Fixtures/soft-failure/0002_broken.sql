-- robot:name Broken but not critical (v1.1 Update)
ALTER TABLE no_such_table ADD COLUMN IF NOT EXISTS x int;
