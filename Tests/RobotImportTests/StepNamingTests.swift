@testable import RobotImport
import MaintenanceRobot
import Testing

/// Names from comments and from the SQL, and the slugs of file names.
@Suite struct StepNamingTests {
    @Test(arguments: [
        ("1b. Pre-clean Handoff Config (Drop if broken)", "Pre-clean Handoff Config (Drop if broken)"),
        ("1. Chat Tables", "Chat Tables"),
        ("9b) Owner index", "Owner index"),
        ("Step 3: Add owner email", "Add owner email"),
        ("step 4 Seed providers", "Seed providers"),
        ("2.3: Rooms", "Rooms"),
        ("12 - Archive flag", "Archive flag"),
        ("--- Chat ---", "Chat"),
        ("2024 cleanup of stale rows", "2024 cleanup of stale rows"),
        ("1.5 seconds is the budget", "1.5 seconds is the budget"),
        ("Media on messages", "Media on messages"),
        ("3rd party tables", "3rd party tables"),
    ])
    func stripsTheNumberingOfAComment(comment: String, name: String) {
        #expect(StepNaming.name(fromComment: comment) == name)
    }

    @Test(arguments: ["3.", "-----", "Step 7:", "noqa: E501", "type: ignore[list-item]", "fmt: off"])
    func aCommentOfOnlyNumberingNamesNothing(comment: String) {
        #expect(StepNaming.name(fromComment: comment) == nil)
    }

    @Test(arguments: [
        ("CREATE INDEX IF NOT EXISTS idx_chat_messages_media ON chat_messages (media_url)", "Create index idx_chat_messages_media"),
        ("create unique index concurrently if not exists ux_a on a (b)", "Create index ux_a"),
        ("CREATE INDEX ON a (b)", "Create index"),
        ("CREATE TABLE IF NOT EXISTS public.tenants (id int)", "Create table tenants"),
        ("CREATE OR REPLACE FUNCTION app.touch() RETURNS trigger AS $$ BEGIN END $$ LANGUAGE plpgsql", "Create function app.touch"),
        ("CREATE MATERIALIZED VIEW IF NOT EXISTS stats AS SELECT 1", "Create materialized view stats"),
        ("CREATE EXTENSION IF NOT EXISTS \"uuid-ossp\"", "Create extension uuid-ossp"),
        ("ALTER TABLE t ADD COLUMN IF NOT EXISTS c text", "Add column c to t"),
        ("ALTER TABLE IF EXISTS ONLY t ADD c text", "Add column c to t"),
        ("ALTER TABLE t ADD CONSTRAINT t_c_check CHECK (c > 0)", "Add constraint t_c_check to t"),
        ("ALTER TABLE t ADD PRIMARY KEY (id)", "Add primary key to t"),
        ("ALTER TABLE t DROP COLUMN IF EXISTS legacy", "Drop column legacy from t"),
        ("ALTER TABLE t ALTER COLUMN c SET DEFAULT 0", "Alter column c of t"),
        ("ALTER TABLE t RENAME TO u", "Rename t"),
        ("ALTER TABLE t ENABLE ROW LEVEL SECURITY", "Alter table t"),
        ("ALTER TYPE mood ADD VALUE IF NOT EXISTS 'meh'", "Add value meh to type mood"),
        ("DROP INDEX CONCURRENTLY IF EXISTS idx_old", "Drop index idx_old"),
        ("INSERT INTO oauth_providers (name) VALUES ('tiktok') ON CONFLICT DO NOTHING", "Insert into oauth_providers"),
        ("UPDATE ONLY tenants SET plan = 'free' WHERE plan IS NULL", "Update tenants"),
        ("DELETE FROM sessions WHERE expires_at < now()", "Delete from sessions"),
        ("COMMENT ON COLUMN tenants.plan IS 'x'", "Comment on column tenants.plan"),
        ("GRANT SELECT ON tenants TO reader", "Grant select on tenants"),
        ("-- a comment first\nCREATE SCHEMA IF NOT EXISTS billing; CREATE TABLE x (a int)", "Create schema billing"),
        ("DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_type WHERE typname = 'k') THEN CREATE TYPE k AS ENUM ('a'); END IF; END $$", "Create type k"),
        ("DO $$ DECLARE n int; BEGIN SELECT count(*) INTO n FROM t; RAISE NOTICE '%', n; END $$", "Do block"),
        ("DO $$ BEGIN EXECUTE 'ALTER TABLE t ADD COLUMN IF NOT EXISTS c int'; END $$", "Add column c to t"),
        ("ANALYZE chat_messages", "Analyze chat_messages"),
        ("SELECT 1", "Select"),
    ])
    func gistOfTheFirstStatement(sql: String, gist: String) {
        #expect(StepNaming.gist(of: sql) == gist)
    }

    @Test(arguments: [
        ("Pre-clean Handoff Config (Drop if broken)", "pre_clean_handoff_config_drop_if_broken"),
        ("Add owner email to tenants (v1.1 Update)", "add_owner_email_to_tenants"),
        ("Seed: export directory (Windows agents)", "seed_export_directory_windows_agents"),
        ("Create index idx_chat_messages_media", "create_index_idx_chat_messages_media"),
        ("Ünïcödé only ✓", "n_c_d_only"),
        ("✓✓", "step"),
        (String(repeating: "long words ", count: 10), "long_words_long_words_long_words_long_words_long"),
    ])
    func slugs(name: String, slug: String) {
        #expect(StepFileTemplate.slug(for: name) == slug)
        #expect(slug.count <= 48)
    }
}
