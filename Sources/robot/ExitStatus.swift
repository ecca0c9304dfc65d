import Foundation
import MaintenanceRobot

/// The documented exit statuses of `robot`. Thrown by a command after it has said why.
struct ExitStatus: Error {
    let code: Int32

    /// A critical (or, with `--strict`, any) step failed.
    static let stepFailed = ExitStatus(code: 1)
    /// Bad usage or a broken catalogue: nothing ran.
    static let usage = ExitStatus(code: 2)
    /// The database was unreachable or the lock was not obtained within its bound.
    static let unavailable = ExitStatus(code: 3)

    /// The status that fits an error of the library.
    static func of(_ error: any Error) -> ExitStatus {
        switch error {
        case is CatalogueError, is ConfigurationError: return .usage
        case let error as RobotError:
            switch error {
            case .connection, .lockNotObtained, .connectionLost: return .unavailable
            case .criticalStepFailed, .ledger: return .stepFailed
            case .catalogue, .historyRewritten, .ledgerTooNew, .invalidLedgerSchema: return .usage
            }
        default: return .stepFailed
        }
    }
}

/// Writes to standard error.
func printError(_ message: String) {
    FileHandle.standardError.write(Data(("robot: " + message + "\n").utf8))
}

/// Says why a command failed and throws its exit status.
func fail(_ error: any Error) -> ExitStatus {
    printError("\(error)")
    return ExitStatus.of(error)
}
