import Foundation
import MaintenanceRobot
import RobotDrift
import RobotTestSupport
import Testing

/// An index dropped by hand and seed rows deleted: found, and repaired the same way. The application's own rows in
/// the same tables are never reported.
@Suite struct IndexAndSeedDriftTests {
    /// The seeded catalogue applied, with rows of the application's own beside the seed rows.
    static func liveWithApplicationRows(label: String = #function) async throws -> ConnectionSettings {
        let live = try await DriftFixtures.live("seeded", label: label)
        try await DriftFixtures.execute([
            "INSERT INTO oauth_providers (slug, display_name) VALUES ('in_house', 'Our own SSO')",
            "INSERT INTO credential_types (provider_id, internal_key, display_name) SELECT id, 'in_house_token', 'Token' FROM oauth_providers WHERE slug = 'in_house'",
        ], on: live)
        return live
    }

    @Test func aDroppedIndexAndDeletedSeedRowsAreFoundAndRepaired() async throws {
        let live = try await Self.liveWithApplicationRows()
        try await DriftFixtures.execute([
            "DROP INDEX credential_types_provider_idx",
            "DELETE FROM credential_types WHERE internal_key LIKE 'tiktok%'",
            "DELETE FROM oauth_providers WHERE slug = 'tiktok'",
        ], on: live)
        let report = try await DriftFixtures.check("seeded", on: live)
        #expect(report.groups.map(\.table) == ["credential_types", "oauth_providers"])
        #expect(report.differences.map(\.description) == [
            "index credential_types_provider_idx: expected CREATE INDEX credential_types_provider_idx ON public.credential_types USING btree (provider_id) · live: missing",
            "seed row credential_types (internal_key = 'tiktok_client_key'): expected internal_key = 'tiktok_client_key', display_name = 'Client key' · live: missing",
            "seed row credential_types (internal_key = 'tiktok_client_secret'): expected internal_key = 'tiktok_client_secret', display_name = 'Client secret' · live: missing",
            "seed row oauth_providers (slug = 'tiktok'): expected slug = 'tiktok', display_name = 'TikTok' · live: missing",
        ])
        #expect(report.differences[0].difference.suspectSteps == ["step 3 \"Index credential types by provider (v1.1 Update)\""])
        #expect(report.differences[1].difference.suspectSteps == ["step 2 \"Seed providers and their credential types (v1.0 Update)\""])
        #expect(report.differences.allSatisfy { $0.notRepaired == nil })

        let steps = try DriftFixtures.copy("seeded")

        defer { try? FileManager.default.removeItem(atPath: steps) }
        let written = try report.repair.write(into: steps, name: "Repair drift (v1.2 Update)")
        #expect(written == [steps + "/0004_repair_drift.sql"])
        let text = try DriftFixtures.text(written[0])
        #expect(text.contains("CREATE INDEX IF NOT EXISTS credential_types_provider_idx ON public.credential_types USING btree (provider_id);"))
        #expect(text.contains("INSERT INTO public.oauth_providers (slug, display_name) VALUES ('tiktok', 'TikTok') ON CONFLICT (slug) DO NOTHING;"))
        // The provider's serial id differs from the fresh install's: the row is found by its key instead.
        #expect(text.contains("VALUES ((SELECT id FROM public.oauth_providers WHERE (slug) = ('tiktok'::text)), 'tiktok_client_key', 'Client key')"))
        #expect(text.range(of: "INSERT INTO public.oauth_providers")!.lowerBound < text.range(of: "INSERT INTO public.credential_types")!.lowerBound)
        let findings = try DriftFixtures.lintFindings(of: written, in: steps)
        #expect(findings.isEmpty, "\(findings)")

        try await DriftFixtures.apply(steps, to: live)
        #expect(try await DriftFixtures.check("seeded", on: live).hasDrift == false)
        #expect(try await TestQueries.value("""
            SELECT string_agg(p.slug, ',') FROM credential_types c JOIN oauth_providers p ON p.id = c.provider_id WHERE c.internal_key LIKE 'tiktok%'
            """, on: live) == "tiktok,tiktok")
        #expect(try await TestQueries.value("SELECT count(*) FROM oauth_providers WHERE slug = 'in_house'", on: live) == "1")
    }

    @Test func anIndexOnATableWithManyRowsIsBuiltConcurrentlyInAStepOfItsOwn() async throws {
        let live = try await Self.liveWithApplicationRows()
        try await DriftFixtures.execute(["DROP INDEX credential_types_provider_idx"], on: live)
        let report = try await DriftFixtures.check("seeded", on: live) { $0.concurrentIndexRowThreshold = 3 }
        #expect(report.repair.statements.isEmpty)
        #expect(report.repair.concurrentIndexes.map(\.sql) == [
            "CREATE INDEX CONCURRENTLY IF NOT EXISTS credential_types_provider_idx ON public.credential_types USING btree (provider_id);",
        ])
        let steps = try DriftFixtures.copy("seeded")
        defer { try? FileManager.default.removeItem(atPath: steps) }
        let written = try report.repair.write(into: steps, name: "Repair drift (v1.2 Update)")
        #expect(written == [steps + "/0004_repair_drift_index_credential_types_provider_idx.sql"])
        #expect(try DriftFixtures.text(written[0]).hasPrefix(
            "-- robot:name Repair drift, index credential_types_provider_idx (v1.2 Update)\n-- robot:no-transaction\n"
        ))
        let findings = try DriftFixtures.lintFindings(of: written, in: steps)
        #expect(findings.isEmpty, "\(findings)")
        try await DriftFixtures.apply(steps, to: live)
        #expect(try await DriftFixtures.check("seeded", on: live).hasDrift == false)
    }

    @Test func aSeedRowChangedByHandIsReportedAndLeftAsItIs() async throws {
        let live = try await Self.liveWithApplicationRows()
        try await DriftFixtures.execute(["UPDATE oauth_providers SET display_name = 'Google Workspace' WHERE slug = 'google'"], on: live)
        let report = try await DriftFixtures.check("seeded", on: live)
        #expect(report.differences.map(\.description) == [
            "seed row oauth_providers (slug = 'google'): expected display_name = 'Google' · live: display_name = 'Google Workspace'",
        ])
        #expect(report.differences.first?.notRepaired?.hasPrefix("the row differs from the catalogue's and is left as it is") == true)
        #expect(report.repair.isEmpty)
    }

    @Test func stepsTheLiveLedgerLacksAreNamedBesideWhatTheyWouldDo() async throws {
        let older = try DriftFixtures.copy("seeded")
        defer { try? FileManager.default.removeItem(atPath: older) }
        try FileManager.default.removeItem(atPath: older + "/0003_index_credential_types.sql")
        let live = try await TestCluster.freshDatabase()
        try await DriftFixtures.apply(older, to: live)
        let report = try await DriftFixtures.check("seeded", on: live)
        #expect(report.notes == [
            "the live ledger does not record 1 step as applied: step 3 \"Index credential types by provider (v1.1 Update)\" (not applied); what they would do is not drift: run them first (robot run)",
        ])
        #expect(report.differences.map(\.difference.name) == ["credential_types_provider_idx"])
    }
}
