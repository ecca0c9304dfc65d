-- robot:name Add TikTok provider with its credential types (v1.2 Update)
INSERT INTO oauth_providers (slug, display_name) VALUES ('tiktok', 'TikTok') ON CONFLICT (slug) DO NOTHING;
DO $$
DECLARE
    tiktok_id bigint;
BEGIN
    SELECT id INTO tiktok_id FROM oauth_providers WHERE slug = 'tiktok';
    INSERT INTO credential_types (provider_id, internal_key, display_name)
    VALUES (tiktok_id, 'tiktok_client_key', 'Client key'), (tiktok_id, 'tiktok_client_secret', 'Client secret')
    ON CONFLICT (internal_key) DO NOTHING;
END
$$;
