/// How a run behaves: its ledger schema, mode, and every bound it waits within.
public struct RobotConfiguration: Sendable, Hashable {
    /// The schema that holds the ledger. Two schemas of one database have separate ledgers and locks.
    public var ledgerSchema: LedgerSchema = .standard
    /// The tenant schema the run is aimed at, set by ``aimed(at:)``; `nil`: the database's own `search_path`.
    public internal(set) var tenantSchema: TenantSchema?
    /// `apply` (the default) runs new, failed and changed steps; `heal` runs every step.
    ///
    /// - warning: `heal` re-runs every step. That is safe only because every step is idempotent;
    ///   a step that re-asserts data (`ON CONFLICT DO UPDATE`, `UPDATE` without `WHERE`) resets
    ///   whatever changed it since. Run `robot lint` on the catalogue before you heal.
    public var mode: Plan.Mode = .apply
    /// Plan and report without changing anything.
    public var isDryRun = false
    /// Treat every step as critical: the first failure stops the run (`robot run --strict`).
    public var treatsEveryStepAsCritical = false
    /// How long to wait for the database to accept connections.
    public var connectTimeout: Duration = .seconds(60)
    /// How long to wait for another robot working on the same database and ledger schema.
    public var lockWaitTimeout: Duration = .seconds(120)
    /// `lock_timeout` for every step, so a boot never hangs behind a busy table.
    public var stepLockTimeout: Duration = .seconds(5)
    /// `statement_timeout` for every step: it bounds a step's whole transaction (sent as one statement), or
    /// each statement of a step that sets its own timeouts or runs without a transaction.
    public var statementTimeout: Duration = .seconds(300)
    /// How many times a step that hit a lock timeout, deadlock or serialization failure is tried again.
    public var lockRetries = 3
    /// What sits between the robot and PostgreSQL: ``Pooler/none`` (a direct connection, the default) or a
    /// connection pooler in transaction mode (``Pooler/transaction``).
    public var pooler: Pooler = .none
    /// Runs every transactional step statement by statement and reads its locks after each statement, so that each
    /// lock's statement and how long it was held are known (``LockedRelation/heldMilliseconds``): for
    /// `robot verify --with-data`, at the cost of a round trip per statement.
    package var tracesLocksPerStatement = false

    public init() {}

    /// What sits between the robot and PostgreSQL, which decides where the robot keeps its lock and settings.
    public enum Pooler: String, Sendable, Hashable, CaseIterable, Codable {
        /// A direct connection, or a pooler in session mode: one server session serves the whole run. The robot holds
        /// a session advisory lock while it works and sets its timeouts once. Each step checks that it runs on the
        /// server session that holds the lock, so a transaction pooler met here stops the run
        /// (``RobotError/transactionPooler(step:)``) rather than let two robots work at once.
        case none
        /// A pooler in transaction mode, such as PgBouncer with `pool_mode = transaction`: each transaction may run on
        /// another server session. The robot relies on nothing that lives in a session: every transaction sets its
        /// own timeouts (`SET LOCAL`), and every transaction that writes takes the robots' lock for itself
        /// (`pg_advisory_xact_lock`) and reads its step's ledger row again under it, so a step another robot applied
        /// meanwhile is skipped. A warm boot takes no lock.
        ///
        /// - warning: A step marked `no-transaction` cannot be protected by a transaction's lock: a run that would
        ///   execute one is refused before anything runs (``RobotError/needsDirectConnection(steps:)``). Apply such
        ///   steps once through a direct connection.
        case transaction
    }
}
