-- robot:name Add owner email to tenants (v1.1 Update)
ALTER TABLE tenants ADD COLUMN IF NOT EXISTS owner_email text;
CREATE INDEX IF NOT EXISTS tenants_owner_email_idx ON tenants (owner_email);
