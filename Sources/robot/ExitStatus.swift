import Foundation
import MaintenanceRobot
import RobotDrift
import RobotVerify
import ThrowawayPostgres

/// The documented exit statuses of `robot`. Thrown by a command after it has said why.
struct ExitStatus: Error {
    let code: Int32

    /// A critical (or, with `--strict`, any) step failed.
    static let stepFailed = ExitStatus(code: 1)
    /// Bad usage or a broken catalogue: nothing ran.
    static let usage = ExitStatus(code: 2)
    /// The database was unreachable, the connection broke, or a lock (another robot's, or another session's on a
    /// ledger table) was not obtained within its bound.
    static let unavailable = ExitStatus(code: 3)
    /// The run was cancelled by SIGINT or SIGTERM: 128 + the signal's number, as a shell reports it.
    static let interrupted = ExitStatus(code: 130)

    /// The status that fits an error of the library.
    static func of(_ error: any Error) -> ExitStatus {
        switch error {
        case is CatalogueError, is ConfigurationError: return .usage
        case let error as ThrowawayClusterError where error.code == .cancelled: return .interrupted
        case let error as RobotError:
            switch error {
            case .connection, .lockNotObtained, .connectionLost: return .unavailable
            case .criticalStepFailed, .ledger, .sessionNotRestored: return .stepFailed
            case .catalogue, .historyRewritten, .ledgerTooNew, .invalidLedgerSchema, .transactionPooler, .needsDirectConnection,
                 .invalidTenantSchema, .tenantSchemaNotFound:
                return .usage
            case .cancelled: return .interrupted
            }
        case let error as DriftError: return error.isLiveDatabaseUnavailable ? .unavailable : .usage
        default: return .stepFailed
        }
    }
}

/// Writes to standard error.
func printError(_ message: String) {
    FileHandle.standardError.write(Data(("robot: " + message + "\n").utf8))
}

/// Says why a command failed, with the option that changes what the message names, and throws its exit status.
func fail(_ error: any Error) -> ExitStatus {
    printError(describe(error))
    return ExitStatus.of(error)
}

/// The library's message for `error`, with the option that changes what it names.
func describe(_ error: any Error) -> String {
    "\(error)" + (option(for: error).map { " (\($0))" } ?? "")
}

/// The command-line option behind a bound or a path that a library error names.
private func option(for error: any Error) -> String? {
    switch error {
    case RobotError.lockNotObtained(.robots, _, _): "--lock-wait SECONDS"
    case RobotError.lockNotObtained(.ledgerTable, _, _): "--step-lock-timeout SECONDS"
    case RobotError.connection(.unreachable): "--connect-timeout SECONDS"
    case RobotError.transactionPooler: "--pooler transaction, or ROBOT_POOLER=transaction"
    case RobotError.needsDirectConnection: "a --database-url without --pooler"
    case RobotError.catalogue(let error): option(for: error)
    case VerifyError.clusterNotStarted: "--database-url URL"
    case DriftError.scratch(.clusterNotStarted): "--scratch-url URL"
    case DriftError.liveConnection(.unreachable): "--connect-timeout SECONDS"
    case DriftError.liveRead(let error) where error.sqlState == "55P03": "--step-lock-timeout SECONDS"
    case DriftError.liveRead(let error) where error.sqlState == "57014": "--statement-timeout SECONDS"
    case let error as CatalogueError where error.problems.contains(where: { if case .directoryMissing = $0 { true } else { false } }):
        "--steps DIR, or the directory as the first argument"
    default: nil
    }
}
