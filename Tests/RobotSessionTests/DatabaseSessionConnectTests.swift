import Foundation
import Logging
import MaintenanceRobot
@testable import RobotSession
import PostgresNIO
import RobotTestSupport
import Testing
import ThrowawayPostgres

@Suite("DatabaseSession.connect: waiting, giving up, refusing")
struct DatabaseSessionConnectTests {
    let logs = CapturedLogs()

    @Test("waits for a server that starts later, logging each attempt")
    func waitsForLateServer() async throws {
        let port = try ThrowawayCluster.freePort()
        let settings = ConnectionSettings(host: "127.0.0.1", port: port, username: "postgres", database: "postgres", tls: .disable)
        let logger = logs.logger(level: .info)
        async let session = DatabaseSession.connect(to: settings, waitingUpTo: .seconds(30), logger: logger)
        try await Task.sleep(for: .seconds(3))
        let cluster = try await ThrowawayCluster.start(.init(port: port))
        defer { cluster.stop() }
        let connected = try await session
        #expect(try await connected.execute("SELECT 1 AS one").first?.int("one") == 1)
        await connected.close()
        let attempts = logs.entries.filter { $0.metadata["robot.attempt"] != nil }
        #expect(attempts.count >= 3)
        #expect(attempts.allSatisfy { $0.level == .info && $0.metadata["robot.target"] == settings.description })
        #expect(attempts.allSatisfy { $0.metadata["robot.reason"] != nil && $0.metadata["robot.retry_in_ms"] != nil })
    }

    @Test("gives up as unreachable once the bound passes")
    func unreachable() async throws {
        let port = try ThrowawayCluster.freePort()
        let settings = ConnectionSettings(host: "127.0.0.1", port: port, username: "postgres", password: "topsecret", database: "postgres")
        let started = ContinuousClock.now
        let error = await #expect(throws: ConnectionError.self) {
            // A bound well above the seconds a loaded test run can hold a refused attempt's continuation back.
            try await DatabaseSession.connect(to: settings, waitingUpTo: .seconds(6), logger: logs.logger())
        }
        #expect(ContinuousClock.now - started < .seconds(9))
        guard case .unreachable(let target, let waited, let attempts, let reason) = error else {
            Issue.record("expected unreachable, got \(String(describing: error))")
            return
        }
        #expect(target == settings.description)
        #expect(waited == .seconds(6))
        #expect(attempts >= 3)
        #expect(reason.localizedCaseInsensitiveContains("refused"))
        #expect(error?.description.contains("topsecret") == false)
    }

    @Test("a missing database is rejected at once")
    func missingDatabase() async throws {
        let settings = try await TestCluster.freshDatabase().with(database: "no_such_database")
        let logger = logs.logger()
        // On an executor of its own, so that what is timed is the connect, not the other tests of a parallel run.
        let (error, took) = await Task(executorPreference: DedicatedExecutor()) { () -> (ConnectionError?, Duration) in
            let started = ContinuousClock.now
            do throws(ConnectionError) {
                let session = try await DatabaseSession.connect(to: settings, waitingUpTo: .seconds(30), logger: logger)
                await session.close()
                return (nil, ContinuousClock.now - started)
            } catch {
                return (error, ContinuousClock.now - started)
            }
        }.value
        #expect(took < .seconds(3), "took \(took)")
        guard case .rejected(_, let reason) = error else { Issue.record("expected rejected, got \(String(describing: error))"); return }
        #expect(reason.contains("3D000"))
        #expect(reason.contains("database \"no_such_database\" does not exist"))
    }

    @Test("wraps a borrowed connection; close leaves it to its owner")
    func borrowedConnection() async throws {
        let settings = try await TestCluster.freshDatabase()
        let configuration = PostgresConnection.Configuration(
            host: settings.host, port: settings.port, username: settings.username, password: nil, database: settings.database, tls: .disable
        )
        let connection = try await PostgresConnection.connect(configuration: configuration, id: 1, logger: logs.logger())
        let session = DatabaseSession(borrowing: connection, logger: logs.logger())
        try await session.execute("DO $$ BEGIN RAISE NOTICE 'unseen'; END $$")
        #expect(session.takeNotices().isEmpty)
        await session.close()
        #expect(!connection.isClosed)
        try await connection.close()
    }
}
