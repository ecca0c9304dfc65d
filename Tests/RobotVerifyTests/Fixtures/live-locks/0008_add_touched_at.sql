-- robot:name Add touched time to tenants (v1.1 Update)
ALTER TABLE tenants ADD COLUMN IF NOT EXISTS touched_at timestamptz NOT NULL DEFAULT clock_timestamp();
