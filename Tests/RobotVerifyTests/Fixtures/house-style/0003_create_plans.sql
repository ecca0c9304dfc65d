-- robot:name Create and seed plans (v1.0 Update)
CREATE TABLE IF NOT EXISTS plans (id bigserial PRIMARY KEY, slug text NOT NULL UNIQUE, monthly_tokens bigint NOT NULL);
INSERT INTO plans (slug, monthly_tokens) VALUES ('free', 10000), ('pro', 1000000) ON CONFLICT (slug) DO NOTHING;
