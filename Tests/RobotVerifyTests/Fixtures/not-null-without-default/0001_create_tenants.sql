-- robot:name Create tenants (v1.0 Update)
CREATE TABLE IF NOT EXISTS tenants (id bigserial PRIMARY KEY, store_name text NOT NULL UNIQUE);
