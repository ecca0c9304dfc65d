import MaintenanceRobot
import RobotVerify

/// Why a drift check could not be carried out (drift itself is in the ``DriftReport``).
public enum DriftError: Error, Sendable, CustomStringConvertible {
    /// The fresh install could not be built: no throwaway cluster, no scratch server, a scratch database that could
    /// not be made or read.
    case scratch(VerifyError)
    /// A step failed on the fresh install, so there is nothing sound to compare with.
    case freshInstallFailed([String])
    /// The live database did not accept a connection.
    case liveConnection(ConnectionError)
    /// A read of the live database failed: a lock or statement timeout, a lost connection, a missing privilege.
    case liveRead(DatabaseError)

    /// Whether the live database was out of reach (unreachable, connection lost, a lock not obtained in time) rather
    /// than the catalogue or the set-up being wrong.
    public var isLiveDatabaseUnavailable: Bool {
        switch self {
        case .liveConnection: true
        case .liveRead(let error): error.isConnectionLost || ["55P03", "57014", "57P01", "57P03"].contains(error.sqlState)
        case .scratch, .freshInstallFailed: false
        }
    }

    public var description: String {
        switch self {
        case .scratch(let error):
            "the fresh install to compare with could not be built: \(error)"
        case .freshInstallFailed(let failures):
            "the catalogue's fresh install failed, so there is nothing sound to compare with (run robot verify):\n  "
                + failures.joined(separator: "\n  ")
        case .liveConnection(let error):
            "could not connect to the live database: \(error)"
        case .liveRead(let error) where error.sqlState == "55P03":
            "the live database was not read: a table it needs is locked by another session beyond lock_timeout (\(error)); try again later or allow a longer wait"
        case .liveRead(let error) where error.sqlState == "42501":
            "the live database was not read: the role lacks a privilege (\(error)); drift needs CONNECT, USAGE on the schemas and SELECT on the tables"
        case .liveRead(let error):
            "the live database could not be read: \(error)"
        }
    }
}
