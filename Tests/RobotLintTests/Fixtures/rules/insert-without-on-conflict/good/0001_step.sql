INSERT INTO oauth_providers (slug) VALUES ('google') ON CONFLICT (slug) DO NOTHING;
INSERT INTO oauth_providers (slug)
SELECT 'meta' WHERE NOT EXISTS (SELECT 1 FROM oauth_providers WHERE slug = 'meta');
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM oauth_providers WHERE slug = 'x') THEN
        INSERT INTO oauth_providers (slug) VALUES ('x');
    END IF;
END
$$;
