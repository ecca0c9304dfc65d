import Foundation
import MaintenanceRobot
import RobotFleet
import RobotTestSupport
import Testing
import ThrowawayPostgres

/// How many connections a fleet's status opens, counted in the server log of a cluster of the test's own.
@Suite(.timeLimit(.minutes(3))) struct FleetStatusConnectionTests {
    @Test func aFleetsStatusReadsTenTargetsOnTwoConnections() async throws {
        let cluster = try await ThrowawayCluster.start(.init(serverSettings: ["log_connections": "on"]))
        defer { cluster.stop() }
        let db = ConnectionSettings(host: cluster.host, port: cluster.port, username: cluster.superuser, database: "postgres", tls: .disable)
        try await Tenants.create(10, on: db)
        let fleet = try await Tenants.fleet(on: db)
        #expect(try await fleet.run(Tenants.robot(), logger: Tenants.quiet).count(.succeeded) == 10)
        func connections() throws -> Int {
            try String(contentsOfFile: cluster.serverLog, encoding: .utf8).components(separatedBy: "connection authorized").count - 1
        }

        let before = try connections()
        let status = try await fleet.status(Tenants.robot(), parallelism: 2, logger: Tenants.quiet)

        #expect(status.targets.count == 10)
        #expect(status.targets.allSatisfy { $0.isUpToDate })
        #expect(try connections() - before == 2)
    }
}
