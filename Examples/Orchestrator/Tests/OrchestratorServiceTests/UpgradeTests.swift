import Foundation
import Logging
import MaintenanceRobot
import OrchestratorService
import Testing

/// A database as the first release left it, booted by the current service.
@Suite struct UpgradeTests {
    @Test func databaseLeftByV1_0GetsEveryLaterColumnAndSeedAndLosesNoRow() async throws {
        let db = try await ServiceDatabase.make()
        var robot = RobotConfiguration()
        robot.connectTimeout = .seconds(10)
        let first = try await Robot(steps: OrchestratorSteps.release1_0, configuration: robot).run(on: db.settings)
        #expect(first.count(.applied) == OrchestratorSteps.release1_0.count)
        let sealed = try db.configuration.cipher.seal("EAAG-old-token").map { String(format: "%02x", $0) }.joined()
        _ = try await db.query("""
            INSERT INTO tenants (store_name, bot_phone_number, owner_email, system_prompt_template) VALUES
                ('Old Store', '+5491100000001', 'old@example.com', 'Custom prompt of {{store_name}}'),
                ('Older Store', '+5491100000002', 'older@example.com', NULL);
            """)
        _ = try await db.query("""
            INSERT INTO tenant_credentials (tenant_id, credential_type_id, encrypted_value)
            SELECT t.id, c.id, '\\x\(sealed)'::bytea FROM tenants t, credential_types c
            WHERE t.bot_phone_number = '+5491100000001' AND c.internal_key = 'whatsapp_access_token';
            """)
        let tenantsBefore = try await db.query("SELECT id, store_name, bot_phone_number, owner_email, system_prompt_template, created_at FROM tenants ORDER BY id")
        let credentialsBefore = try await db.query("SELECT tenant_id, credential_type_id, encrypted_value, updated_at FROM tenant_credentials ORDER BY id")

        try await db.withService { client in
            let health = try await client.get("/health").decoded(HealthResponse.self)
            #expect(health.status == "ok")
            #expect(health.robot.applied == OrchestratorSteps.all.count - OrchestratorSteps.release1_0.count)
            #expect(health.robot.skipped == OrchestratorSteps.release1_0.count)

            let tenants = try await client.get("/tenants").decoded([TenantResponse].self)
            #expect(tenants.map(\.storeName) == ["Old Store", "Older Store"])
            #expect(tenants.allSatisfy { $0.timezone == "UTC" && $0.isActive })
            #expect(tenants[0].systemPromptTemplate == "Custom prompt of {{store_name}}" && !tenants[0].usesDefaultSystemPrompt)
            #expect(tenants[1].usesDefaultSystemPrompt && tenants[1].systemPromptTemplate.contains("shopping assistant"))
            #expect(tenants[0].credentials == ["whatsapp_access_token"])

            let providers = try await client.get("/providers").decoded([ProviderResponse].self)
            #expect(providers.map(\.key) == ["whatsapp_cloud", "tiendanube", "google", "meta", "tiktok"])
            #expect(providers.first { $0.key == "tiktok" }?.credentialTypes.count == 2)
            #expect(providers.flatMap(\.credentialTypes).allSatisfy { $0.helpURL != nil })
        }
        #expect(try await db.query("SELECT id, store_name, bot_phone_number, owner_email, system_prompt_template, created_at FROM tenants ORDER BY id") == tenantsBefore)
        #expect(try await db.query("SELECT tenant_id, credential_type_id, encrypted_value, updated_at FROM tenant_credentials ORDER BY id") == credentialsBefore)
        #expect(try await db.value("SELECT value FROM app_settings WHERE key = 'default_system_prompt'")?.contains("shopping assistant") == true)
    }

    @Test func catalogueFollowsTheHouseStyleFromV1_0ToV1_4() throws {
        let catalogue = try Catalogue(OrchestratorSteps.all)
        #expect(catalogue.versionTags.map(\.description) == ["v1.0", "v1.1", "v1.2", "v1.3", "v1.4"])
        #expect(catalogue.steps.allSatisfy { $0.versionTag != nil })
        #expect(OrchestratorSteps.release1_0.allSatisfy { $0.isCritical })
    }

    @Test func everyStepCarriesItsNumberedHouseStyleComment() throws {
        let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources/OrchestratorService/Catalogue/OrchestratorSteps.swift")
        let comments = try String(contentsOf: source, encoding: .utf8).split(separator: "\n")
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { $0.hasPrefix("// ") && $0.dropFirst(3).first?.isNumber == true }
        let expected = OrchestratorSteps.all.enumerated().map { "// \($0.offset + 1). \($0.element.name)" }
        #expect(comments == expected)
    }
}
