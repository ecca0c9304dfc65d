/// The settings a run works under: the step timeouts, commits that do not wait for the disk (see ``CommitFlush``),
/// and dead-client detection so a killed robot's backend stops within a second instead of finishing a long statement
/// (PostgreSQL 14 and later; older servers just notice later).
///
/// On a direct connection they are set once on the session (``apply(on:)``); behind a transaction pooler, where a
/// session setting stays on whichever server connection ran it, each transaction sets them for itself
/// (``statement(scope:)`` with `.transaction`, see ``PooledTransaction``).
///
/// A run aimed at a tenant (``RobotConfiguration/aimed(at:)``) also sets `search_path` to the tenant's schema, then
/// `public`, wherever the other settings are set: so it holds for every step, also after one that changed the session.
struct RunSessionSettings: Sendable {
    let lockTimeout: Duration
    let statementTimeout: Duration
    let tenant: TenantSchema?

    init(_ configuration: RobotConfiguration) {
        lockTimeout = configuration.stepLockTimeout
        statementTimeout = configuration.statementTimeout
        tenant = configuration.tenantSchema
    }

    /// How long a setting holds.
    enum Scope {
        /// For the rest of the session.
        case session
        /// Until the transaction ends (`SET LOCAL`).
        case transaction
        /// Until the transaction ends, and its commit waits for the disk: the run's last ledger write.
        case flushingTransaction
    }

    /// One statement that sets them all.
    func statement(scope: Scope) -> String {
        let local = scope == .session ? "false" : "true"
        let synchronousCommit = scope == .flushingTransaction ? "" : "set_config('synchronous_commit', 'off', \(local)),"
        let searchPath = tenant.map { ",\n       set_config('search_path', \(Self.searchPath(of: $0)), \(local))" } ?? ""
        return """
            SELECT set_config('lock_timeout', '\(max(1, lockTimeout.milliseconds))ms', \(local)),
                   set_config('statement_timeout', '\(max(1, statementTimeout.milliseconds))ms', \(local)),
                   \(synchronousCommit)
                   (SELECT set_config('client_connection_check_interval', '1000', \(local))
                    WHERE current_setting('server_version_num')::integer >= 140000)\(searchPath)
            """
    }

    /// `search_path`'s value for `tenant`. The cast to `regnamespace` fails (3F000) when the schema does not exist, so
    /// that nothing runs in `public` instead.
    private static func searchPath(of tenant: TenantSchema) -> String {
        "quote_ident(\(tenant.name.sqlLiteral))::regnamespace::text || ', public'"
    }

    /// Sets up a run's session: on a direct connection the settings hold for the whole session; behind a transaction
    /// pooler nothing is set on it, and each transaction sets them for itself (``RunTransaction``).
    /// A run aimed at a tenant whose schema does not exist stops here: ``RobotError/tenantSchemaNotFound(_:)``.
    static func setUp(_ session: DatabaseSession, for configuration: RobotConfiguration) async throws(RobotError) {
        let settings = RunSessionSettings(configuration)
        do {
            if configuration.pooler == .none {
                try await settings.apply(on: session)
            } else if let tenant = settings.tenant {
                try await session.execute("SELECT \(searchPath(of: tenant))")
            }
        } catch {
            if error.isConnectionLost { throw .connectionLost(error, step: nil) }
            if let tenant = settings.tenant, error.sqlState == "3F000" { throw .tenantSchemaNotFound(tenant) }
            throw .ledger(operation: "set the session's timeouts", error)
        }
    }

    /// Sets them on the session.
    func apply(on session: DatabaseSession) async throws(DatabaseError) {
        try await session.execute(statement(scope: .session))
    }

    /// Puts the session back as the run set it up, after a step that changed it (``CatalogueStep/changesSession``),
    /// so that every step starts from the same session whatever ran before it in the run: otherwise a
    /// `SET search_path` in step 2 would put step 3's tables elsewhere on a fresh install than on a database that
    /// ran step 3 in a later boot. `RESET ALL` returns every setting to the value the session started with (the
    /// server's, the database's, the role's, the connection's options) but keeps the role, so the session's own
    /// user comes back first. Steps that change nothing cost nothing.
    func restore(on session: DatabaseSession) async throws(DatabaseError) {
        // First, so that a step's tiny statement_timeout cannot cut the next two short.
        try await session.execute("RESET ALL")
        try await session.execute("SET SESSION AUTHORIZATION DEFAULT")
        try await apply(on: session)
    }

    /// The same as ``restore(on:)``, as statements that run inside the step's own transaction, before its commit:
    /// behind a transaction pooler the server session is not the robot's once the transaction ends, so the step
    /// must leave it as it found it. `SET SESSION AUTHORIZATION` and `RESET ALL` inside a transaction take effect for
    /// the session when it commits.
    var restoringStatements: [String] {
        ["SET SESSION AUTHORIZATION DEFAULT", "RESET ALL", statement(scope: .transaction)]
    }
}

/// When step commits wait for the disk.
///
/// A run's steps commit with `synchronous_commit = off` (``RunSessionSettings``): without waiting for their WAL to
/// reach the disk. The run's final ledger write commits with the server's setting, and a commit that waits flushes
/// the WAL up to itself, so every step before it is durable before the run reports. A server crash in between
/// loses only a tail of steps together with their ledger rows, atomically, and the next boot applies them again. A
/// run with nothing to do records itself without waiting: losing that row loses nothing.
enum CommitFlush {
    /// Puts back the server's setting on a session the run set up (on a direct connection).
    static func restore(on session: DatabaseSession) async throws(DatabaseError) {
        try await session.execute("RESET synchronous_commit")
    }
}

extension Duration {
    /// The duration in seconds, as a `Double`.
    var seconds: Double { self / .seconds(1) }
}
