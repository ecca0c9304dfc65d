import MaintenanceRobot
import ThrowawayPostgres

/// PgBouncer in front of the shared test cluster, for tests of what a connection pooler changes.
public enum TestPgBouncer {
    /// Starts a PgBouncer of its own in front of ``TestCluster``; stop it with `stop()` when the test ends.
    /// - Parameter poolSize: server connections per database (fewer than the clients makes them share).
    public static func start(poolMode: ThrowawayPgBouncer.PoolMode = .transaction, poolSize: Int = 4) async throws -> ThrowawayPgBouncer {
        try await ThrowawayPgBouncer.start(inFrontOf: TestCluster.cluster(), poolMode: poolMode, poolSize: poolSize)
    }
}

extension ThrowawayPgBouncer {
    /// The same database as `settings` (of the test cluster), reached through this PgBouncer.
    public func settings(for settings: ConnectionSettings) -> ConnectionSettings {
        var through = settings
        through.host = host
        through.port = port
        return through
    }
}
