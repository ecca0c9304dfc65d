ALTER TABLE tenants ADD COLUMN IF NOT EXISTS created_at timestamptz NOT NULL DEFAULT now();
ALTER TABLE tenants ADD COLUMN IF NOT EXISTS external_id uuid;
ALTER TABLE tenants ALTER COLUMN external_id SET DEFAULT gen_random_uuid();
