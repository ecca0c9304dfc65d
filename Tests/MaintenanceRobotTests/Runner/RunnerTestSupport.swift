import Logging
@testable import MaintenanceRobot
import RobotTestSupport

/// A fresh database and a few ways to look into it.
struct Scratch {
    let settings: ConnectionSettings

    static func make(_ label: String = #function) async throws -> Scratch {
        Scratch(settings: try await TestCluster.freshDatabase(label))
    }

    /// Runs `robot` with these steps on the scratch database.
    func run(
        _ steps: [Step], logger: Logger = Logger(label: "test"), _ configure: (inout RobotConfiguration) -> Void = { _ in }
    ) async throws(RobotError) -> RunReport {
        var configuration = RobotConfiguration()
        configuration.connectTimeout = .seconds(10)
        configure(&configuration)
        let robot: Robot
        do { robot = try Robot(steps: steps, configuration: configuration) } catch { fatalError("\(error)") }
        return try await robot.run(on: settings, logger: logger)
    }

    /// The rows of one query, each cell as text.
    func query(_ sql: String) async throws -> [[String?]] {
        try await TestQueries.rows(sql, on: settings)
    }

    /// The first cell of the first row.
    func value(_ sql: String) async throws -> String? {
        try await query(sql).first?.first ?? nil
    }

    /// Table and column names of the public schema, for comparing two databases' shapes.
    func schemaShape() async throws -> [[String?]] {
        try await query("""
            SELECT c.relname::text, c.relkind::text, a.attname::text, format_type(a.atttypid, a.atttypmod), a.attnotnull::text
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
            WHERE n.nspname = 'public' ORDER BY 1, 3
            """)
    }

    /// The ledger's (id, status, attempts) per step.
    func ledger(schema: String = "maintenance_robot") async throws -> [[String?]] {
        try await query("SELECT id, status, attempts::text FROM \(schema).steps ORDER BY position")
    }
}
