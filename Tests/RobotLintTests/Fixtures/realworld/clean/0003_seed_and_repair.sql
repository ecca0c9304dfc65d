-- robot:name Seed providers and repair tenants (v1.1 Update)
INSERT INTO oauth_providers (slug, display_name)
VALUES ('google', 'Google; Inc.'), ('meta', 'Meta''s')
ON CONFLICT (slug) DO NOTHING;
DO $do$
DECLARE
    missing boolean;
BEGIN
    -- a comment; inside the block
    <<repair>>
    BEGIN
        ALTER TABLE tenants ADD COLUMN owner_email text;
    EXCEPTION
        WHEN duplicate_column THEN
            RAISE NOTICE 'owner_email exists';
    END;
    IF to_regtype('tenant_plan') IS NULL THEN
        CREATE TYPE tenant_plan AS ENUM ('free', 'pro');
    END IF;
    FOR missing IN SELECT true LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint WHERE conname = 'tenants_email_check') THEN
            ALTER TABLE tenants ADD CONSTRAINT tenants_email_check CHECK (owner_email LIKE '%@%') NOT VALID;
        ELSIF missing THEN
            RAISE NOTICE 'check exists';
        END IF;
    END LOOP;
    CASE WHEN 1 = 1 THEN RAISE NOTICE 'case; fine'; ELSE NULL; END CASE;
END
$do$;
ALTER TABLE tenants ADD COLUMN IF NOT EXISTS region text not null default 'eu';
