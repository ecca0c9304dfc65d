-- robot:name Commit in batches, outside a transaction (v1.0 Update)
-- robot:no-transaction
DO $$
BEGIN
    CREATE TABLE IF NOT EXISTS x4 (a int);
    COMMIT;
END
$$;
