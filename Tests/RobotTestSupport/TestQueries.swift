import Logging
import MaintenanceRobot

/// Reading a test database: one short session per query.
public enum TestQueries {
    /// The rows of one query, each cell as text (write `::text` casts for other types).
    public static func rows(_ sql: String, on settings: ConnectionSettings) async throws -> [[String?]] {
        let session = try await DatabaseSession.connect(to: settings, waitingUpTo: .seconds(10), logger: Logger(label: "test"))
        do {
            let rows = try await session.execute(sql)
            await session.close()
            return rows.map { row in row.columnNames.map { row.string($0) } }
        } catch {
            await session.close()
            throw error
        }
    }

    /// The first cell of the first row.
    public static func value(_ sql: String, on settings: ConnectionSettings) async throws -> String? {
        try await rows(sql, on: settings).first?.first ?? nil
    }
}
