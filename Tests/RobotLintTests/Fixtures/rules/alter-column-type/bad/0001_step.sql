-- expect alter-column-type 5:48
DO $$
BEGIN
    IF (SELECT atttypid FROM pg_catalog.pg_attribute WHERE attrelid = 'tenants'::regclass AND attname = 'score') = 'integer'::regtype THEN
        ALTER TABLE tenants ALTER COLUMN score TYPE bigint;
    END IF;
END
$$;
