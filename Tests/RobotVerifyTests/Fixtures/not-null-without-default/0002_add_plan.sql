-- robot:name Add plan to tenants (v1.1 Update)
ALTER TABLE tenants ADD COLUMN IF NOT EXISTS plan text NOT NULL;
