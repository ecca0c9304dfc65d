import MaintenanceRobot

/// The catalogue `robot demo` applies: a small store-assistant service's history, release by release.
enum DemoCatalogue {
    static let steps: [Step] = [
        // 1. Create tenants table (v1.0 Update)
        Step("Create tenants table (v1.0 Update)", critical: true, sql: """
            CREATE TABLE IF NOT EXISTS tenants (
                id bigserial PRIMARY KEY,
                store_name text NOT NULL,
                bot_phone_number text NOT NULL UNIQUE,
                created_at timestamptz NOT NULL DEFAULT now()
            );
            """),
        // 2. Create OAuth providers table (v1.0 Update)
        Step("Create OAuth providers table (v1.0 Update)", critical: true, sql: """
            CREATE TABLE IF NOT EXISTS oauth_providers (
                id bigserial PRIMARY KEY,
                slug text NOT NULL UNIQUE,
                display_name text NOT NULL
            );
            """),
        // 3. Seed OAuth providers (v1.0 Update)
        Step("Seed OAuth providers (v1.0 Update)", sql: """
            INSERT INTO oauth_providers (slug, display_name) VALUES
                ('google', 'Google'),
                ('meta', 'Meta'),
                ('whatsapp_cloud', 'WhatsApp Cloud API')
            ON CONFLICT (slug) DO NOTHING;
            """),
        // 4. Add owner email to tenants (v1.1 Update)
        Step("Add owner email to tenants (v1.1 Update)", sql: """
            ALTER TABLE tenants ADD COLUMN IF NOT EXISTS owner_email text;
            """),
        // 5. Index tenants by owner email without blocking writes (v1.1 Update)
        Step("Index tenants by owner email (v1.1 Update)", transaction: false, sql: """
            CREATE INDEX CONCURRENTLY IF NOT EXISTS tenants_owner_email_idx ON tenants (owner_email);
            """),
        // 6. Create global settings with the default system prompt (v1.1 Update)
        Step("Create global settings with the default system prompt (v1.1 Update)", sql: """
            CREATE TABLE IF NOT EXISTS global_settings (key text PRIMARY KEY, value text NOT NULL);
            INSERT INTO global_settings (key, value)
            VALUES ('default_system_prompt', 'You are the assistant of {store_name}. Be brief and friendly.')
            ON CONFLICT (key) DO NOTHING;
            """),
        // 7. Add token usage counter to tenants (v1.2 Update)
        Step("Add token usage counter to tenants (v1.2 Update)", sql: """
            DO $$
            BEGIN
                ALTER TABLE tenants ADD COLUMN total_tokens_used bigint NOT NULL DEFAULT 0;
            EXCEPTION
                WHEN duplicate_column THEN
                    RAISE NOTICE 'tenants.total_tokens_used already exists; nothing to do';
            END
            $$;
            """),
        // 8. Seed the Tiendanube provider when missing (v1.2 Update)
        Step("Seed the Tiendanube provider when missing (v1.2 Update)", sql: """
            DO $$
            BEGIN
                IF NOT EXISTS (SELECT 1 FROM oauth_providers WHERE slug = 'tiendanube') THEN
                    INSERT INTO oauth_providers (slug, display_name) VALUES ('tiendanube', 'Tiendanube');
                    RAISE NOTICE 'seeded the Tiendanube provider';
                END IF;
            END
            $$;
            """),
    ]
}
