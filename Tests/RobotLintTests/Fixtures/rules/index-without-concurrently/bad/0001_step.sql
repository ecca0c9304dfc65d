-- expect index-without-concurrently 2:1
CREATE INDEX IF NOT EXISTS tenants_store_name_idx ON tenants (store_name);
