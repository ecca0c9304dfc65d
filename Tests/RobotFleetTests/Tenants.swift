import Foundation
import Logging
import MaintenanceRobot
import RobotFleet
import RobotTestSupport

/// Tenant schemas in a test database, and what the tests read of them.
enum Tenants {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures").path

    /// Five steps: a critical table, the exactly-once probe (a row per run of step 3), the app's own `steps`, `runs`
    /// and `meta` tables, a column.
    static let steps = fixtures + "/tenant-steps"

    /// The query for the schemas ``create(_:on:)`` makes, in name order.
    static let query = "SELECT nspname FROM pg_namespace WHERE nspname LIKE 'tenant\\_%' ORDER BY 1"

    /// `tenant_001` … for `count` tenants.
    static func name(_ number: Int) -> String {
        "tenant_" + String(repeating: "0", count: max(0, 3 - String(number).count)) + String(number)
    }

    /// Creates the schemas `tenant_001` … `tenant_<count>`.
    static func create(_ count: Int, on settings: ConnectionSettings) async throws {
        _ = try await TestQueries.rows("""
            DO $$ BEGIN
                FOR i IN 1..\(count) LOOP EXECUTE format('CREATE SCHEMA %I', 'tenant_' || lpad(i::text, 3, '0')); END LOOP;
            END $$
            """, on: settings)
    }

    /// A fresh database with `count` tenant schemas.
    static func database(_ count: Int, _ label: String = #function) async throws -> ConnectionSettings {
        let settings = try await TestCluster.freshDatabase(label)
        try await create(count, on: settings)
        return settings
    }

    /// Each `tenant_…` schema's probe rows (`nil` when it has no probe table), by schema name.
    static func probeRows(on settings: ConnectionSettings) async throws -> [String: Int?] {
        let rows = try await TestQueries.rows("""
            SELECT nspname::text,
                   CASE WHEN to_regclass(format('%I.probe', nspname)) IS NOT NULL THEN
                       (xpath('/row/c/text()', query_to_xml(format('SELECT count(*) AS c FROM %I.probe', nspname), false, true, '')))[1]::text
                   END
            FROM pg_namespace WHERE nspname LIKE 'tenant\\_%'
            """, on: settings)
        return Dictionary(uniqueKeysWithValues: rows.map { ($0[0] ?? "", $0[1].flatMap { Int($0) }) })
    }

    /// The schemas whose name starts with `prefix`.
    static func schemas(startingWith prefix: String, on settings: ConnectionSettings) async throws -> [String] {
        try await TestQueries.rows("SELECT nspname::text FROM pg_namespace WHERE starts_with(nspname, '\(prefix)') ORDER BY 1", on: settings)
            .compactMap { $0[0] }
    }

    /// A robot for ``steps`` with test bounds.
    static func robot(_ configure: (inout RobotConfiguration) -> Void = { _ in }) -> Robot {
        var configuration = RobotConfiguration()
        configuration.connectTimeout = .seconds(20)
        configure(&configuration)
        return Robot(stepDirectory: steps, configuration: configuration)
    }

    /// The fleet of `settings`' tenant schemas.
    static func fleet(on settings: ConnectionSettings, configuration: RobotConfiguration = RobotConfiguration()) async throws -> Fleet {
        Fleet(try await TenantSchemaQuery.targets(query, on: settings, configuration: configuration, logger: quiet))
    }

    static let quiet = Logger(label: "fleet-test") { _ in SwiftLogNoOpLogHandler() }
}
