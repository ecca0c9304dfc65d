-- robot:name After the backfill (v1.1 Update)
CREATE TABLE IF NOT EXISTS after_backfill (id int);
