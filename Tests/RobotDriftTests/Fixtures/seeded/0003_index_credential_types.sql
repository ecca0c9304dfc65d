-- robot:name Index credential types by provider (v1.1 Update)
CREATE INDEX IF NOT EXISTS credential_types_provider_idx ON credential_types (provider_id);
