-- robot:name Create OAuth providers and credential types (v1.0 Update)
CREATE TABLE IF NOT EXISTS oauth_providers (
    id bigserial PRIMARY KEY,
    slug text NOT NULL UNIQUE,
    display_name text NOT NULL
);
CREATE TABLE IF NOT EXISTS credential_types (
    id bigserial PRIMARY KEY,
    provider_id bigint NOT NULL REFERENCES oauth_providers (id),
    internal_key text NOT NULL UNIQUE,
    display_name text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
