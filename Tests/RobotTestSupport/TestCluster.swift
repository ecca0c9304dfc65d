import Foundation
import Logging
import MaintenanceRobot
import ThrowawayPostgres

/// One throwaway cluster per test process, shared by all tests, and a fresh database for each test.
///
/// The cluster starts on first use; concurrent callers wait for the same start. It is removed at process exit
/// (or by its reaper if the process is killed).
public enum TestCluster {
    /// The shared cluster, started on first use.
    public static func cluster() async throws -> ThrowawayCluster {
        try await shared.cluster()
    }

    /// Creates a new, empty database (`t_<n>_<label>`, from template0) and returns settings for it as the
    /// superuser `postgres` over TCP without TLS.
    public static func freshDatabase(_ label: String = #function) async throws -> ConnectionSettings {
        try await shared.freshDatabase(label: label)
    }

    private static let shared = SharedCluster()
}

/// The state behind ``TestCluster``: the cluster's start and the database counter.
private actor SharedCluster {
    private var starting: Task<ThrowawayCluster, any Error>?
    private var databaseCount = 0

    func cluster() async throws -> ThrowawayCluster {
        if let starting { return try await starting.value }
        let task = Task { try await ThrowawayCluster.start(.init(serverSettings: ["max_connections": "300"])) }
        starting = task
        return try await task.value
    }

    func freshDatabase(label: String) async throws -> ConnectionSettings {
        databaseCount += 1
        let name = Self.databaseName(number: databaseCount, label: label)
        // A session of its own for each database: a connection shared by concurrent tests was seen to stall.
        let session = try await DatabaseSession.connect(to: settings(database: "postgres"), waitingUpTo: .seconds(10), logger: quietLogger)
        do {
            try await session.execute("CREATE DATABASE \"\(name)\" TEMPLATE template0")
            await session.close()
        } catch {
            await session.close()
            throw error
        }
        return try await settings(database: name)
    }

    private func settings(database: String) async throws -> ConnectionSettings {
        let cluster = try await cluster()
        return ConnectionSettings(host: cluster.host, port: cluster.port, username: cluster.superuser, database: database, tls: .disable)
    }

    /// `t_<number>_<label>` in lower-case letters, digits and underscores, at most 63 bytes (PostgreSQL's limit).
    private static func databaseName(number: Int, label: String) -> String {
        let cleaned = label.lowercased().map { ($0.isASCII && ($0.isLetter || $0.isNumber)) ? $0 : "_" }
        let trimmed = String(cleaned).trimmingCharacters(in: CharacterSet(charactersIn: "_"))
        return String("t_\(number)_\(trimmed)".prefix(63))
    }
}

/// A logger that drops everything.
private let quietLogger = Logger(label: "robot-test-support") { _ in SwiftLogNoOpLogHandler() }
