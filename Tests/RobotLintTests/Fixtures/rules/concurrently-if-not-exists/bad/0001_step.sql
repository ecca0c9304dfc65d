-- robot:no-transaction
-- expect concurrently-if-not-exists 3:14
CREATE INDEX CONCURRENTLY IF NOT EXISTS tenants_owner_email_idx ON tenants (owner_email);
ALTER TABLE tenants ADD COLUMN IF NOT EXISTS note text;
