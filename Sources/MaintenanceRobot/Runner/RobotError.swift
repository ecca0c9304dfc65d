/// Why a run did not complete. Each case says what to do.
public enum RobotError: Error, Sendable, CustomStringConvertible {
    /// The catalogue is broken: a step does not lex or has no statement. Nothing ran.
    case catalogue(CatalogueError)
    /// The database did not accept a connection within the bound, or refused it.
    case connection(ConnectionError)
    /// A lock was not obtained within its bound: the one robots share (``RobotConfiguration/lockWaitTimeout``), or a
    /// ledger table another session held locked (the session's `lock_timeout`, ``RobotConfiguration/stepLockTimeout``).
    /// `holder` describes the session that held it. Nothing ran.
    case lockNotObtained(Lock, waitedSeconds: Double, holder: String?)
    /// A critical step failed. Earlier steps stay committed; the report says what ran.
    case criticalStepFailed(RunReport)
    /// The ledger and the catalogue disagree on the order of applied steps. Nothing ran.
    case historyRewritten(conflicts: [Plan.Conflict])
    /// The connection broke during the run. Committed steps stay; run again.
    case connectionLost(DatabaseError, step: String?)
    /// The ledger could not be read or written.
    case ledger(operation: String, DatabaseError)
    /// The robot could not put its session back after a step that changed it (a `SET`, a `SET ROLE` …), so the
    /// run stopped rather than run later steps under the step's settings. Committed steps stay applied.
    case sessionNotRestored(DatabaseError, step: String)
    /// The ledger was written by a newer robot.
    case ledgerTooNew(schema: String, found: String, supported: Int)
    /// The ledger schema name cannot be used.
    case invalidLedgerSchema(String)
    /// The tenant schema name cannot be used (``TenantSchema``).
    case invalidTenantSchema(String)
    /// The run was aimed at a tenant schema (``RobotConfiguration/aimed(at:)``) that the database does not have.
    /// Nothing ran.
    case tenantSchemaNotFound(TenantSchema)
    /// A connection pooler in transaction mode is between the robot and PostgreSQL, while the robot ran for a direct
    /// connection (``RobotConfiguration/Pooler/none``): a step ran on another server session than the one holding the
    /// robots' lock, or the server session already held it. Nothing more ran; `step`, when named, rolled back.
    case transactionPooler(step: String?)
    /// Behind a transaction pooler (``RobotConfiguration/Pooler/transaction``), steps that run outside a transaction
    /// would run, and no transaction's lock can protect them. Nothing ran.
    case needsDirectConnection(steps: [String])
    /// The run's task was cancelled (a shutdown signal, a server stopping). Steps committed before stay applied and
    /// recorded; the report, when the run got as far as planning, says which ran. No lock is held.
    case cancelled(RunReport?)

    /// The lock a run did not obtain.
    public enum Lock: Sendable, Hashable {
        /// The advisory lock robots working on one database and ledger schema share (``LedgerSchema/advisoryLockKey``).
        case robots
        /// A table of the ledger, schema-qualified (`maintenance_robot.steps`); `nil` when no session held a lock
        /// on one by the time the robot looked.
        case ledgerTable(String?)
    }

    public var description: String {
        switch self {
        case .catalogue(let error):
            error.description
        case .connection(let error):
            error.description
        case .lockNotObtained(.robots, let waited, let holder):
            "another robot held the lock on this database for \(TextReportRenderer.format(seconds: waited))\(holder.map { " (\($0))" } ?? ""); nothing ran. Wait for it to finish, or allow a longer wait"
        case .lockNotObtained(.ledgerTable(let table), let waited, let holder):
            "could not lock \(table.map { "the ledger table \($0)" } ?? "a table of the ledger") within \(TextReportRenderer.format(seconds: waited)): "
                + "another session holds it\(holder.map { " (\($0))" } ?? ""); nothing ran. "
                + "Let that session end its transaction (or end the session with pg_terminate_backend), then run again; or allow a longer wait"
        case .criticalStepFailed(let report):
            "critical \(report.failedSteps.last.map { "step \($0.position) \"\($0.name)\"" } ?? "step") failed: \(report.failedSteps.last?.failure?.description ?? "see the report"); earlier steps stay applied. Fix the step and deploy again"
        case .historyRewritten(let conflicts):
            (["the ledger and the catalogue disagree on the order of applied steps; nothing ran:"] + conflicts.map { "  \($0)" }).joined(separator: "\n")
        case .connectionLost(let error, let step):
            "the connection to the database broke\(step.map { " while running \($0)" } ?? ""): \(error.message); committed steps stay applied, the interrupted one was rolled back. Run again"
        case .ledger(let operation, let error):
            "could not \(operation): \(error.description). The robot's role needs CREATE on the database (for its schema) and read/write on the ledger tables"
        case .sessionNotRestored(let error, let step):
            "could not restore the robot's session settings after \(step) (\(error.description)); the run stopped so that no later step runs under that step's settings. Committed steps stay applied; run again"
        case .ledgerTooNew(let schema, let found, let supported):
            "the ledger in schema \(schema) has version \(found), but this robot understands up to version \(supported); upgrade the robot"
        case .cancelled(let report):
            "the run was cancelled \(report.map { "after applying \($0.count(.applied) + $0.count(.healed)) steps" } ?? "before any step ran"); committed steps stay applied. Run again"
        case .transactionPooler(let step):
            "a connection pooler in transaction mode is between the robot and PostgreSQL\(step.map { ": \($0) ran on another server session than the robot's lock, and was rolled back" } ?? ": the server session already held the robot's lock"); "
                + "the robot's lock and settings do not stay on one server session there. Run the robot in its transaction pooler mode, or connect to PostgreSQL directly. Committed steps stay applied"
        case .needsDirectConnection(let steps):
            "behind a transaction pooler no lock can protect a step that runs outside a transaction, and \(steps.joined(separator: ", ")) would run; nothing ran. "
                + "Run the robot once through a direct connection to PostgreSQL (not through the pooler) to apply \(steps.count == 1 ? "it" : "them"); later boots through the pooler skip \(steps.count == 1 ? "it" : "them")"
        case .invalidLedgerSchema(let name):
            "'\(name)' cannot be a ledger schema name: use lowercase letters, digits and _ (not starting with a digit or pg_), at most 63 characters"
        case .invalidTenantSchema(let name):
            "'\(name)' cannot be a tenant schema name: PostgreSQL's names have 1 to 63 bytes and no NUL character"
        case .tenantSchemaNotFound(let schema):
            "the tenant schema \(schema.quoted) does not exist in this database; nothing ran. Create it first (CREATE SCHEMA), or remove it from the fleet"
        }
    }
}

extension RobotError {
    /// Whether the run's session is gone, or in a state not worth resetting for another run.
    var leavesTheSessionBroken: Bool {
        switch self {
        case .connection, .connectionLost, .cancelled, .sessionNotRestored: true
        default: false
        }
    }
}
