-- robot:no-transaction
CREATE INDEX CONCURRENTLY IF NOT EXISTS tenants_store_name_idx ON tenants (store_name);
