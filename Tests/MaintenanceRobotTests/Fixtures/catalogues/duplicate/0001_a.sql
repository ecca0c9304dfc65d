-- robot:name Create tenants table (v1.0 Update)
-- robot:critical
-- The first table of the service; every other table hangs off it.
CREATE TABLE IF NOT EXISTS tenants (
    id bigserial PRIMARY KEY,
    store_name text NOT NULL -- the shop's name; may contain ';'
);
