-- robot:name Slow backfill (v1.1 Update)
CREATE TABLE IF NOT EXISTS backfill (id int PRIMARY KEY, note text);
INSERT INTO backfill SELECT g, 'row ' || g FROM generate_series(1, 1000) AS g ON CONFLICT (id) DO NOTHING;
SELECT pg_sleep(4);
ALTER TABLE tenants ADD COLUMN IF NOT EXISTS backfilled boolean NOT NULL DEFAULT false;
