-- robot:name Widen the tenants' score (v1.1 Update)
DO $$
BEGIN
    IF (SELECT atttypid FROM pg_catalog.pg_attribute WHERE attrelid = 'tenants'::regclass AND attname = 'score') = 'integer'::regtype THEN
        ALTER TABLE tenants ALTER COLUMN score TYPE bigint;
    END IF;
END
$$;
