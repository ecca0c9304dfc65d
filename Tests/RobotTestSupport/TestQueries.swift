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

    /// Takes the session advisory lock robots on `schema` take, on a session of its own that holds it until
    /// ``LockHolder/release()``: how a test makes a robot wait for "another robot".
    public static func holdRobotLock(on settings: ConnectionSettings, schema: LedgerSchema = .standard) async throws -> LockHolder {
        let session = try await DatabaseSession.connect(to: settings, waitingUpTo: .seconds(10), logger: Logger(label: "test"))
        try await session.execute("SELECT pg_advisory_lock($1)", [.integer(schema.advisoryLockKey)])
        return LockHolder(session: session)
    }
}

/// A session that holds a robot's advisory lock.
public struct LockHolder: Sendable {
    let session: DatabaseSession

    /// Closes the session, which releases the lock.
    public func release() async {
        await session.close()
    }
}
