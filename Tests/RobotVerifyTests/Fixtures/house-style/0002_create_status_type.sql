-- robot:name Create tenant status type (v1.0 Update)
DO $$
BEGIN
    CREATE TYPE tenant_status AS ENUM ('active', 'suspended');
EXCEPTION
    WHEN duplicate_object THEN NULL;
END
$$;
ALTER TABLE tenants ADD COLUMN IF NOT EXISTS status tenant_status NOT NULL DEFAULT 'active';
