-- robot:name Seed OAuth providers (v1.0 Update)
INSERT INTO oauth_providers (slug, display_name) VALUES
    ('google', 'Google'), ('meta', 'Meta'), ('whatsapp_cloud', 'WhatsApp Cloud API')
ON CONFLICT (slug) DO NOTHING;
