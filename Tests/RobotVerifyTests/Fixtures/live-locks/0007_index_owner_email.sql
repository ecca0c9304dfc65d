-- robot:name Index tenants by owner email without blocking (v1.1 Update)
-- robot:no-transaction
CREATE INDEX CONCURRENTLY IF NOT EXISTS tenants_owner_email_idx ON tenants (owner_email);
