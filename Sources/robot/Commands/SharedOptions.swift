import ArgumentParser
import Foundation
import Logging
import MaintenanceRobot

/// The step directory: the first argument (`robot run db/steps`) or `--steps DIR`; `steps` when neither is given.
struct StepDirectoryOption: ParsableArguments {
    @Argument(help: ArgumentHelp("The step directory of NNNN_slug.sql files (the same as --steps).", valueName: "dir"))
    var directory: String?

    @Option(name: .long, help: ArgumentHelp("The step directory of NNNN_slug.sql files. Default: steps", valueName: "dir"))
    var steps: String?

    var path: String { directory ?? steps ?? "steps" }

    func validate() throws {
        if let directory, let steps, directory != steps {
            throw ValidationError("the step directory is given twice ('\(directory)' and --steps '\(steps)'); give it once")
        }
    }
}

/// Where the steps and the database are, and the bounds every wait keeps to.
struct SharedOptions: ParsableArguments {
    @OptionGroup var stepDirectory: StepDirectoryOption

    /// The step directory.
    var steps: String { stepDirectory.path }

    @Option(name: .long, help: ArgumentHelp(
        "The database as a postgres:// URL. Default: DATABASE_URL, else the PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE and PGSSLMODE variables, which also fill in what a URL leaves out. Prefer the environment: a password on the command line is visible to other users of the machine.",
        valueName: "url"))
    var databaseURL: String?

    @Option(name: .long, help: ArgumentHelp("The schema of the robot's ledger.", valueName: "name"))
    var ledgerSchema = LedgerSchema.standard.name

    @Option(name: .long, help: ArgumentHelp("Seconds to wait for the database to accept connections.", valueName: "seconds"))
    var connectTimeout: Double = 60

    @Option(name: .long, help: ArgumentHelp("Seconds to wait for another robot working on the same database.", valueName: "seconds"))
    var lockWait: Double = 120

    @Option(name: .long, help: ArgumentHelp("lock_timeout of every step and of the robot's ledger reads and writes, in seconds; a step that hits it is retried a few times, a locked ledger table ends the run (status 3).", valueName: "seconds"))
    var stepLockTimeout: Double = 5

    @Option(name: .long, help: ArgumentHelp("statement_timeout of every step (of each statement in a step that sets its own timeouts or runs without a transaction), in seconds.", valueName: "seconds"))
    var statementTimeout: Double = 300

    @Option(name: .long, help: ArgumentHelp(
        "What sits between the robot and PostgreSQL: none (a direct connection, or a pooler in session mode) or transaction (a pooler in transaction mode, such as PgBouncer's pool_mode = transaction: the robot then keeps no lock or setting on the session). Default: ROBOT_POOLER, else none.",
        valueName: "none|transaction"))
    var pooler: String?

    @Option(name: .long, help: ArgumentHelp("Log level on standard error: trace, debug, info, notice, warning, error, critical.", valueName: "level"))
    var logLevel = "notice"

    func validate() throws {
        for (name, value) in [("--connect-timeout", connectTimeout), ("--lock-wait", lockWait),
                              ("--step-lock-timeout", stepLockTimeout), ("--statement-timeout", statementTimeout)]
        where !(value > 0 && value <= 86_400) {
            throw ValidationError("\(name) takes a number of seconds above 0 and at most 86400")
        }
        if Logger.Level(rawValue: logLevel) == nil {
            throw ValidationError("--log-level takes one of trace, debug, info, notice, warning, error, critical")
        }
        _ = try schema()
        _ = try poolerMode()
    }

    /// `--pooler`, else `ROBOT_POOLER`, else none.
    func poolerMode() throws -> RobotConfiguration.Pooler {
        let (value, source) = if let pooler { (pooler, "--pooler") } else { (ProcessInfo.processInfo.environment["ROBOT_POOLER"] ?? "none", "ROBOT_POOLER") }
        guard let mode = RobotConfiguration.Pooler(rawValue: value.lowercased()) else {
            throw ValidationError("\(source) takes none or transaction, not '\(value)'")
        }
        return mode
    }

    func schema() throws -> LedgerSchema {
        do { return try LedgerSchema(ledgerSchema) } catch { throw ValidationError("--ledger-schema: \(error)") }
    }

    /// The robot's configuration from the options.
    func configuration() throws -> RobotConfiguration {
        var configuration = RobotConfiguration()
        configuration.ledgerSchema = try schema()
        configuration.connectTimeout = .seconds(connectTimeout)
        configuration.lockWaitTimeout = .seconds(lockWait)
        configuration.stepLockTimeout = .seconds(stepLockTimeout)
        configuration.statementTimeout = .seconds(statementTimeout)
        configuration.pooler = try poolerMode()
        return configuration
    }

    /// The connection settings: --database-url, else the environment.
    func connectionSettings() throws(ExitStatus) -> ConnectionSettings {
        do {
            if let databaseURL { return try ConnectionSettings(url: databaseURL) }
            return try ConnectionSettings.fromEnvironment()
        } catch {
            throw fail(error)
        }
    }

    /// The catalogue in the step directory.
    func catalogue() throws(ExitStatus) -> Catalogue {
        do {
            return try StepDirectory.load(steps)
        } catch {
            throw fail(error)
        }
    }

    /// A logger on standard error at the chosen level.
    func logger() -> Logger {
        makeLogger(level: Logger.Level(rawValue: logLevel) ?? .notice)
    }
}

/// A logger writing to standard error, so that standard output holds only the report.
func makeLogger(level: Logger.Level) -> Logger {
    LoggingBootstrap.bootstrapOnce()
    var logger = Logger(label: "maintenance-robot")
    logger.logLevel = level
    return logger
}

/// swift-log may be bootstrapped once per process.
private enum LoggingBootstrap {
    private static let once: Void = LoggingSystem.bootstrap { label in StreamLogHandler.standardError(label: label) }

    static func bootstrapOnce() { once }
}
