-- robot:name Create tenants table (v1.0 Update)
CREATE TABLE IF NOT EXISTS tenants (
    id bigserial PRIMARY KEY,
    store_name text NOT NULL,
    score integer NOT NULL DEFAULT 0
);
