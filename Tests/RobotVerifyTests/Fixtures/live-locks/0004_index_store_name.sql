-- robot:name Index tenants by store name (v1.1 Update)
CREATE INDEX IF NOT EXISTS tenants_store_name_idx ON tenants (slow_key(store_name));
