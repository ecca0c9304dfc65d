-- robot:name Create tenants (v1.0 Update)
CREATE TABLE IF NOT EXISTS tenants (
    id bigserial PRIMARY KEY,
    store_name text NOT NULL,
    total_tokens_used bigint NOT NULL DEFAULT 0
);
