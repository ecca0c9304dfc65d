import MaintenanceRobot
import RobotVerify

/// Where the fresh install is built, and the bounds of the check.
public struct DriftOptions: Sendable {
    /// Where the fresh install is built: a throwaway cluster (the default; PostgreSQL's server binaries needed), or a
    /// server on which drift creates and drops only its own `drift_<run>_…` scratch databases (its role needs CREATEDB).
    ///
    /// - warning: Starting a throwaway cluster installs SIGINT and SIGTERM handlers (see `ThrowawayCluster`). A service
    ///   that checks drift at boot should give it a scratch server instead.
    public var scratch: VerifyTarget = .throwawayCluster
    /// The ledger schema (left out of the comparison) and the bounds: `connectTimeout` for both connections,
    /// `stepLockTimeout` and `statementTimeout` as the `lock_timeout` and `statement_timeout` of the live reads
    /// (and of the fresh install's steps).
    public var robotConfiguration = RobotConfiguration()
    /// A missing index on a live table with at least this many rows is built `CONCURRENTLY`, in a no-transaction
    /// step of its own; on a smaller table, in the repair's transaction.
    public var concurrentIndexRowThreshold = 10_000

    public init() {}
}
