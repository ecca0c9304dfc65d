-- robot:name Add owner email to tenants (v1.1 Update)
ALTER TABLE tenants ADD COLUMN IF NOT EXISTS owner_email text;
