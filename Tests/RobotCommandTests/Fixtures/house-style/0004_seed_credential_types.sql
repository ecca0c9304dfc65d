-- robot:name Seed credential types (v1.0 Update)
INSERT INTO credential_types (provider_id, internal_key, display_name)
SELECT p.id, v.internal_key, v.display_name
FROM (VALUES ('google', 'google_client_id', 'Client ID'),
             ('meta', 'meta_app_secret', 'App secret')) AS v (slug, internal_key, display_name)
JOIN oauth_providers p ON p.slug = v.slug
ON CONFLICT (internal_key) DO NOTHING;
