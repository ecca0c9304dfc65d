-- robot:no-transaction
CREATE INDEX CONCURRENTLY IF NOT EXISTS tenants_email_idx ON tenants (owner_email);
