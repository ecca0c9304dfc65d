-- robot:name Widen the tenants' score (v1.1 Update)
DO $$
BEGIN
    IF EXISTS (SELECT FROM information_schema.columns
               WHERE table_name = 'tenants' AND column_name = 'score' AND data_type = 'integer') THEN
        ALTER TABLE tenants ALTER COLUMN score SET DATA TYPE bigint;
    END IF;
END
$$;
