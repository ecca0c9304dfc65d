-- robot:name Seed providers and their credential types (v1.0 Update)
INSERT INTO oauth_providers (slug, display_name) VALUES ('google', 'Google'), ('tiktok', 'TikTok')
ON CONFLICT (slug) DO NOTHING;
INSERT INTO credential_types (provider_id, internal_key, display_name)
SELECT p.id, v.internal_key, v.display_name
FROM (VALUES ('google', 'google_client_id', 'Client ID'),
             ('tiktok', 'tiktok_client_key', 'Client key'),
             ('tiktok', 'tiktok_client_secret', 'Client secret')) AS v (slug, internal_key, display_name)
JOIN oauth_providers p ON p.slug = v.slug
ON CONFLICT (internal_key) DO NOTHING;
