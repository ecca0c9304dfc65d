import Foundation
import MaintenanceRobot
@testable import RobotSession
import RobotTestSupport
import Testing
import ThrowawayPostgres

/// Runs against its own cluster whose pg_hba.conf demands scram-sha-256 on TCP (trust accepts any password).
@Suite("Password authentication")
struct PasswordAuthenticationTests {
    static let password = "Sup3r-Secret/pw@:%"

    @Test("a wrong password is rejected at once, and no password appears in errors or logs")
    func passwords() async throws {
        let cluster = try await ThrowawayCluster.start()
        defer { cluster.stop() }
        try await requirePasswords(on: cluster)
        let logs = CapturedLogs()
        let good = ConnectionSettings(
            host: cluster.host, port: cluster.port, username: "robot", password: Self.password, database: "postgres", tls: .disable
        )
        var bad = good
        bad.password = "wrong-" + Self.password
        let error = await #expect(throws: ConnectionError.self) {
            try await DatabaseSession.connect(to: bad, waitingUpTo: .seconds(30), logger: logs.logger())
        }
        guard case .rejected(let target, let reason) = error else { Issue.record("expected rejected, got \(String(describing: error))"); return }
        #expect(reason.contains("28P01"))
        #expect(target == bad.description)

        var missing = good
        missing.password = nil
        await #expect(throws: ConnectionError.self) {
            try await DatabaseSession.connect(to: missing, waitingUpTo: .seconds(30), logger: logs.logger())
        }

        let session = try await DatabaseSession.connect(to: good, waitingUpTo: .seconds(10), logger: logs.logger())
        let failure = await #expect(throws: DatabaseError.self) { try await session.execute("SELECT * FROM nowhere") }
        #expect(try await session.execute("SELECT current_user AS who").first?.string("who") == "robot")
        await session.close()

        let texts = [error?.description, failure?.description, good.description, session.target].compactMap { $0 }
            + logs.entries.map(\.renderedLine)
        #expect(!logs.entries.isEmpty)
        #expect(texts.allSatisfy { !$0.contains("Sup3r-Secret") }, "\(texts.filter { $0.contains("Sup3r-Secret") })")
    }

    /// Creates the role `robot` with a password and switches TCP logins to scram-sha-256.
    private func requirePasswords(on cluster: ThrowawayCluster) async throws {
        let admin = try await DatabaseSession.connect(
            to: ConnectionSettings(host: cluster.socketDirectory, port: cluster.port, username: "postgres", database: "postgres"),
            waitingUpTo: .seconds(10), logger: CapturedLogs().logger()
        )
        try await admin.execute("CREATE ROLE robot LOGIN PASSWORD '\(Self.password)'")
        let rules = "local all all trust\nhost all all 127.0.0.1/32 scram-sha-256\nhost all all ::1/128 scram-sha-256\n"
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: "\(cluster.dataDirectory)/pg_hba.conf"))
        try handle.truncate(atOffset: 0)
        try handle.write(contentsOf: Data(rules.utf8))
        try handle.close()
        try await admin.execute("SELECT pg_reload_conf()")
        await admin.close()
        try await Task.sleep(for: .milliseconds(300))
    }
}
