-- robot:name Create tenants; the first table (v1.0 Update)
-- robot:critical
/* a block comment with a ; and a ' quote and /* nesting */ */
Create Table If Not Exists tenants(
    id          BIGSERIAL primary key,
    store_name  TEXT not null,   -- "store" ; name
    region      text NOT NULL DEFAULT 'eu'
)  ;
create index if not exists
    tenants_region_idx on tenants(region);
