-- robot:no-transaction
SET lock_timeout = '2s';
CREATE INDEX CONCURRENTLY IF NOT EXISTS tenants_owner_email_idx ON tenants (owner_email);
