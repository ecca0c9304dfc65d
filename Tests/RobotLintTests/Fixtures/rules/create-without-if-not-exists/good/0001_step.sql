CREATE TABLE IF NOT EXISTS tenants (id bigint PRIMARY KEY);
create unique index if not exists tenants_id_idx on tenants (id);
CREATE EXTENSION IF NOT EXISTS pgcrypto;
CREATE TEMP TABLE scratch (id int);
