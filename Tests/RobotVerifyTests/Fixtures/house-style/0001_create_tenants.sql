-- robot:name Create tenants table (v1.0 Update)
-- robot:critical
CREATE TABLE IF NOT EXISTS tenants (
    id bigserial PRIMARY KEY,
    store_name text NOT NULL,
    bot_phone_number text NOT NULL UNIQUE,
    created_at timestamptz NOT NULL DEFAULT now()
);
