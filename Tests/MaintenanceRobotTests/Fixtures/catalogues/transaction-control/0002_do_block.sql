-- robot:name Roll back inside a DO block (v1.0 Update)
DO $$
BEGIN
    CREATE TABLE IF NOT EXISTS x3 (a int);
    ROLLBACK;
END
$$;
