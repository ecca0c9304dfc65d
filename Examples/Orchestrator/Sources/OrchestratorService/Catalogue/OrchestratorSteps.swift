import MaintenanceRobot

/// The orchestrator's database history, release by release: what the robot applies at every boot.
///
/// Steps are only ever appended. Every step is idempotent (the Omega protocol): tables and columns
/// with `IF NOT EXISTS` or a guarded `DO` block, seeds with `ON CONFLICT DO NOTHING`, and the one
/// deliberately mutable setting with `ON CONFLICT DO UPDATE`.
public enum OrchestratorSteps {
    /// Every step, in order.
    public static let all: [Step] = release1_0 + release1_1 + release1_2 + release1_3 + release1_4

    /// The steps of the first release: what a v1.0 deployment left in its database.
    public static let release1_0: [Step] = [
        // 1. Create tenants table (v1.0 Update)
        Step("Create tenants table (v1.0 Update)", critical: true, sql: """
            CREATE TABLE IF NOT EXISTS tenants (
                id bigserial PRIMARY KEY,
                store_name text NOT NULL CHECK (length(btrim(store_name)) > 0),
                bot_phone_number text NOT NULL UNIQUE,
                owner_email text NOT NULL,
                -- NULL: the tenant follows the global default prompt in app_settings.
                system_prompt_template text,
                created_at timestamptz NOT NULL DEFAULT now()
            );
            """),
        // 2. Create OAuth providers table (v1.0 Update)
        Step("Create OAuth providers table (v1.0 Update)", critical: true, sql: """
            CREATE TABLE IF NOT EXISTS oauth_providers (
                id bigserial PRIMARY KEY,
                key text NOT NULL UNIQUE,
                display_name text NOT NULL
            );
            """),
        // 3. Create credential types table (v1.0 Update)
        Step("Create credential types table (v1.0 Update)", critical: true, sql: """
            CREATE TABLE IF NOT EXISTS credential_types (
                id bigserial PRIMARY KEY,
                provider_id bigint NOT NULL REFERENCES oauth_providers (id),
                internal_key text NOT NULL UNIQUE,
                display_name text NOT NULL,
                field_type text NOT NULL CHECK (field_type IN ('text', 'secret', 'url', 'phone')),
                is_required boolean NOT NULL DEFAULT true,
                placeholder text
            );
            """),
        // 4. Create tenant credentials table (v1.0 Update)
        Step("Create tenant credentials table (v1.0 Update)", critical: true, sql: """
            CREATE TABLE IF NOT EXISTS tenant_credentials (
                id bigserial PRIMARY KEY,
                tenant_id bigint NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
                credential_type_id bigint NOT NULL REFERENCES credential_types (id),
                -- AES-256-GCM (nonce, ciphertext, tag) under the service's CREDENTIALS_KEY; never plain text.
                encrypted_value bytea NOT NULL,
                updated_at timestamptz NOT NULL DEFAULT now(),
                UNIQUE (tenant_id, credential_type_id)
            );
            """),
        // 5. Seed OAuth providers (v1.0 Update)
        Step("Seed OAuth providers (v1.0 Update)", critical: true, sql: """
            INSERT INTO oauth_providers (key, display_name) VALUES
                ('google', 'Google'),
                ('meta', 'Meta'),
                ('whatsapp_cloud', 'WhatsApp Cloud API')
            ON CONFLICT (key) DO NOTHING;
            """),
        // 6. Seed credential types of the first providers (v1.0 Update)
        Step("Seed credential types of the first providers (v1.0 Update)", critical: true, sql: """
            INSERT INTO credential_types (provider_id, internal_key, display_name, field_type, is_required, placeholder)
            SELECT p.id, t.internal_key, t.display_name, t.field_type, t.is_required, t.placeholder
            FROM (VALUES
                ('google', 'google_client_id', 'Google client ID', 'text', true, '1234-abc.apps.googleusercontent.com'),
                ('google', 'google_client_secret', 'Google client secret', 'secret', true, 'GOCSPX-…'),
                ('meta', 'meta_app_id', 'Meta app ID', 'text', true, '123456789012345'),
                ('meta', 'meta_app_secret', 'Meta app secret', 'secret', true, '32 hexadecimal characters'),
                ('whatsapp_cloud', 'whatsapp_access_token', 'WhatsApp access token', 'secret', true, 'EAAG…'),
                ('whatsapp_cloud', 'whatsapp_phone_number_id', 'WhatsApp phone number ID', 'text', true, '106540352242922'),
                ('whatsapp_cloud', 'whatsapp_webhook_url', 'WhatsApp webhook URL', 'url', false, 'https://example.com/webhooks/whatsapp')
            ) AS t (provider_key, internal_key, display_name, field_type, is_required, placeholder)
            JOIN oauth_providers p ON p.key = t.provider_key
            ON CONFLICT (internal_key) DO NOTHING;
            """),
        // 7. Create settings with the default system prompt (v1.0 Update)
        Step("Create settings with the default system prompt (v1.0 Update)", critical: true, sql: """
            CREATE TABLE IF NOT EXISTS app_settings (
                key text PRIMARY KEY,
                value text NOT NULL,
                updated_at timestamptz NOT NULL DEFAULT now()
            );
            INSERT INTO app_settings (key, value)
            VALUES ('default_system_prompt', 'You are the assistant of {{store_name}}. Answer customers politely.')
            ON CONFLICT (key) DO NOTHING;
            """),
    ]

    /// v1.1: Tiendanube stores, and tenants get a time zone.
    public static let release1_1: [Step] = [
        // 8. Seed Tiendanube provider and credential types (v1.1 Update)
        Step("Seed Tiendanube provider and credential types (v1.1 Update)", sql: """
            INSERT INTO oauth_providers (key, display_name) VALUES ('tiendanube', 'Tiendanube')
            ON CONFLICT (key) DO NOTHING;
            INSERT INTO credential_types (provider_id, internal_key, display_name, field_type, is_required, placeholder)
            SELECT p.id, t.internal_key, t.display_name, t.field_type, t.is_required, t.placeholder
            FROM (VALUES
                ('tiendanube_store_id', 'Tiendanube store ID', 'text', true, '1234567'),
                ('tiendanube_access_token', 'Tiendanube access token', 'secret', true, 'a1b2c3…')
            ) AS t (internal_key, display_name, field_type, is_required, placeholder)
            JOIN oauth_providers p ON p.key = 'tiendanube'
            ON CONFLICT (internal_key) DO NOTHING;
            """),
        // 9. Add time zone to tenants (v1.1 Update)
        Step("Add time zone to tenants (v1.1 Update)", sql: """
            ALTER TABLE tenants ADD COLUMN IF NOT EXISTS timezone text NOT NULL DEFAULT 'UTC';
            """),
    ]

    /// v1.2: tenants can be paused; credential types link to their help pages.
    public static let release1_2: [Step] = [
        // 10. Add active flag to tenants (v1.2 Update)
        Step("Add active flag to tenants (v1.2 Update)", sql: """
            DO $$
            BEGIN
                ALTER TABLE tenants ADD COLUMN is_active boolean NOT NULL DEFAULT true;
            EXCEPTION WHEN duplicate_column THEN
                RAISE NOTICE 'tenants.is_active exists already';
            END
            $$;
            """),
        // 11. Add help links to credential types (v1.2 Update)
        Step("Add help links to credential types (v1.2 Update)", sql: """
            ALTER TABLE credential_types ADD COLUMN IF NOT EXISTS help_url text;
            UPDATE credential_types t
            SET help_url = p.help_url
            FROM oauth_providers o
            JOIN (VALUES
                ('google', 'https://console.cloud.google.com/apis/credentials'),
                ('meta', 'https://developers.facebook.com/apps'),
                ('whatsapp_cloud', 'https://developers.facebook.com/docs/whatsapp/cloud-api/get-started'),
                ('tiendanube', 'https://partners.tiendanube.com')
            ) AS p (provider_key, help_url) ON p.provider_key = o.key
            WHERE t.provider_id = o.id AND t.help_url IS NULL;
            """),
    ]

    /// v1.3: TikTok joins, and credential lookups by type get an index.
    public static let release1_3: [Step] = [
        // 12. Seed TikTok provider and credential types (v1.3 Update)
        Step("Seed TikTok provider and credential types (v1.3 Update)", sql: """
            INSERT INTO oauth_providers (key, display_name) VALUES ('tiktok', 'TikTok')
            ON CONFLICT (key) DO NOTHING;
            DO $$
            DECLARE
                tiktok_id bigint;
            BEGIN
                SELECT id INTO tiktok_id FROM oauth_providers WHERE key = 'tiktok';
                IF tiktok_id IS NULL THEN
                    RAISE NOTICE 'no tiktok provider; its credential types are not seeded';
                ELSE
                    INSERT INTO credential_types (provider_id, internal_key, display_name, field_type, is_required, placeholder, help_url)
                    VALUES
                        (tiktok_id, 'tiktok_client_key', 'TikTok client key', 'text', true, 'aw1b2c3d4e5f6', 'https://developers.tiktok.com/apps'),
                        (tiktok_id, 'tiktok_client_secret', 'TikTok client secret', 'secret', true, '32 characters', 'https://developers.tiktok.com/apps')
                    ON CONFLICT (internal_key) DO NOTHING;
                END IF;
            END
            $$;
            """),
        // 13. Index tenant credentials by credential type (v1.3 Update)
        // Applied since v1.3: a step that ran is not edited (a comment is not an edit: the checksum skips it). A new
        // index on a live table would be a `-- robot:no-transaction` step of CREATE INDEX CONCURRENTLY IF NOT EXISTS.
        Step("Index tenant credentials by credential type (v1.3 Update)", sql: """
            -- robot:allow index-without-concurrently applied since v1.3; editing an applied step would rewrite history
            CREATE INDEX IF NOT EXISTS tenant_credentials_credential_type_id_idx ON tenant_credentials (credential_type_id);
            """),
    ]

    /// v1.4: providers are shown in onboarding order, and the default prompt is rewritten.
    public static let release1_4: [Step] = [
        // 14. Add display order to OAuth providers (v1.4 Update)
        Step("Add display order to OAuth providers (v1.4 Update)", sql: """
            ALTER TABLE oauth_providers ADD COLUMN IF NOT EXISTS sort_order integer NOT NULL DEFAULT 100;
            UPDATE oauth_providers o
            SET sort_order = v.sort_order
            FROM (VALUES ('whatsapp_cloud', 10), ('tiendanube', 20), ('google', 30), ('meta', 40), ('tiktok', 50)) AS v (key, sort_order)
            WHERE o.key = v.key AND o.sort_order = 100;
            """),
        // 15. Update the default system prompt (v1.4 Update)
        // Mutable configuration: the product owns this value, so each release re-asserts it.
        Step("Update the default system prompt (v1.4 Update)", sql: """
            -- robot:allow upsert-overwrites the product owns this default and each release re-asserts it
            INSERT INTO app_settings (key, value, updated_at)
            VALUES ('default_system_prompt', 'You are the shopping assistant of {{store_name}}. Answer in the customer''s language, be brief, and never invent prices or stock.', now())
            ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = EXCLUDED.updated_at
            WHERE app_settings.value IS DISTINCT FROM EXCLUDED.value;
            """),
    ]
}
