-- robot:name Create tenant status type (v1.0 Update)
DO $$
BEGIN
    CREATE TYPE tenant_status AS ENUM ('active');
EXCEPTION
    WHEN duplicate_object THEN NULL;
END
$$;
