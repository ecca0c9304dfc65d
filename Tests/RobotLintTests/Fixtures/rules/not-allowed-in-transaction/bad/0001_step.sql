-- expect not-allowed-in-transaction 2:14
CREATE INDEX CONCURRENTLY IF NOT EXISTS tenants_email_idx ON tenants (owner_email);
