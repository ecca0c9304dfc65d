import MaintenanceRobot
import ThrowawayPostgres

/// Why a verification could not be carried out (as opposed to a scenario that ran and failed, which is in
/// the ``VerificationReport``). `robot verify` exits with status 2 for these.
public enum VerifyError: Error, Sendable, CustomStringConvertible {
    /// The throwaway cluster did not start.
    case clusterNotStarted(ThrowawayClusterError)
    /// The server to verify on did not accept a connection.
    case connection(ConnectionError)
    /// A scratch database could not be created, copied, read or dropped.
    case scratchDatabase(operation: String, database: String, DatabaseError)
    /// The robot could not run at all (lock, ledger, connection): not a step failure.
    case robot(scenario: String, RobotError)
    /// A checkpoint named in the options is not a position or version tag of the catalogue.
    case unknownCheckpoint(String, stepCount: Int, tags: [String])
    /// The older catalogue (`--from`, `--from-git`) could not be read.
    case olderCatalogue(source: String, reason: String)

    public var description: String {
        switch self {
        case .clusterNotStarted(let error):
            "the throwaway PostgreSQL cluster did not start: \(error). Install PostgreSQL's server binaries (initdb, pg_ctl) or verify on a server of your own"
        case .connection(let error):
            "could not connect to the server to verify on: \(error)"
        case .scratchDatabase(let operation, let database, let error):
            "could not \(operation) the scratch database \(database): \(error). The role needs CREATEDB on the server"
        case .robot(let scenario, let error):
            "the robot could not run (\(scenario)): \(error)"
        case .unknownCheckpoint(let name, let stepCount, let tags):
            "checkpoint '\(name)' is neither a step position (1…\(stepCount)) nor a version tag of the catalogue (\(tags.isEmpty ? "it has none" : tags.joined(separator: ", "))); use positions, tags, 'tags' or 'all'"
        case .olderCatalogue(let source, let reason):
            "the older catalogue \(source) could not be read: \(reason)"
        }
    }
}
