import MaintenanceRobot
import RobotFleet
import RobotTestSupport
import Testing
import ThrowawayPostgres

/// What a warm fleet sends, counted by pg_stat_statements on a cluster of the test's own.
@Suite(.timeLimit(.minutes(3))) struct WarmFleetTests {
    @Test func aWarmFleetSetsUpEachSessionOnceAndReadsOneDigestPerTarget() async throws {
        let cluster = try await ThrowawayCluster.start(.init(serverSettings: ["shared_preload_libraries": "pg_stat_statements"]))
        defer { cluster.stop() }
        let db = ConnectionSettings(host: cluster.host, port: cluster.port, username: cluster.superuser, database: "postgres", tls: .disable)
        _ = try await TestQueries.rows("CREATE EXTENSION pg_stat_statements", on: db)
        try await Tenants.create(10, on: db)
        let fleet = try await Tenants.fleet(on: db)
        #expect(try await fleet.run(Tenants.robot(), logger: Tenants.quiet).count(.succeeded) == 10)

        _ = try await TestQueries.rows("SELECT pg_stat_statements_reset()", on: db)
        let warm = try await fleet.run(Tenants.robot(), logger: Tenants.quiet)
        #expect(warm.count(.succeeded) == 10)
        func calls(_ pattern: String) async throws -> String? {
            try await TestQueries.value("""
                SELECT coalesce(sum(calls), 0)::text FROM pg_stat_statements
                WHERE query LIKE '\(pattern)' AND query NOT LIKE '%pg_stat_statements%'
                """, on: db)
        }
        #expect(try await calls("%set_config%quote_ident%regnamespace%") == "10")
        #expect(try await calls("%catalogue_digest%steps_stamp%") == "10")
        // No ledger row read, no lock, no step: the settings, the digest and the run's own row.
        #expect(try await calls("%LEFT JOIN%") == "0")
        #expect(try await calls("%pg_try_advisory_lock%") == "0")
        #expect(try await calls("%") == "30")
    }
}
