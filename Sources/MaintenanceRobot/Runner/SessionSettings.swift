/// The settings a run starts its session with, in one statement: the step timeouts, commits that do not wait
/// for the disk (see ``CommitFlush``), and dead-client detection so a killed robot's backend stops within a
/// second instead of finishing a long statement (PostgreSQL 14 and later; older servers just notice later).
/// A run aimed at a tenant (``RobotConfiguration/aimed(at:)``) also sets `search_path` to the tenant's schema, then
/// `public`; the cast to `regnamespace` fails (3F000) when that schema does not exist, so that nothing runs in `public`.
enum RunSessionSettings {
    static func apply(lock: Duration, statement: Duration, tenant: TenantSchema?, on session: DatabaseSession) async throws(DatabaseError) {
        let searchPath = tenant == nil ? "" : ",\n       set_config('search_path', quote_ident($1)::regnamespace::text || ', public', false)"
        try await session.execute("""
            SELECT set_config('lock_timeout', '\(max(1, lock.milliseconds))ms', false),
                   set_config('statement_timeout', '\(max(1, statement.milliseconds))ms', false),
                   set_config('synchronous_commit', 'off', false),
                   (SELECT set_config('client_connection_check_interval', '1000', false)
                    WHERE current_setting('server_version_num')::integer >= 140000)\(searchPath)
            """, tenant.map { [.text($0.name)] } ?? [])
    }

    /// What a failure to set up the session means for the run.
    static func failure(_ error: DatabaseError, tenant: TenantSchema?) -> RobotError {
        if error.isConnectionLost { return .connectionLost(error, step: nil) }
        if let tenant, error.sqlState == "3F000" { return .tenantSchemaNotFound(tenant) }
        return .ledger(operation: "set the session's timeouts", error)
    }
}

extension RunSessionSettings {
    /// Puts the session back as the run set it up, after a step that changed it (``CatalogueStep/changesSession``),
    /// so that every step starts from the same session whatever ran before it in the run: otherwise a
    /// `SET search_path` in step 2 would put step 3's tables elsewhere on a fresh install than on a database that
    /// ran step 3 in a later boot. `RESET ALL` returns every setting to the value the session started with (the
    /// server's, the database's, the role's, the connection's options) but keeps the role, so the session's own
    /// user comes back first. Steps that change nothing cost nothing.
    static func restore(lock: Duration, statement: Duration, tenant: TenantSchema?, on session: DatabaseSession) async throws(DatabaseError) {
        // First, so that a step's tiny statement_timeout cannot cut the next two short.
        try await session.execute("RESET ALL")
        try await session.execute("SET SESSION AUTHORIZATION DEFAULT")
        try await apply(lock: lock, statement: statement, tenant: tenant, on: session)
    }
}

/// When step commits wait for the disk.
///
/// A run's session starts with `synchronous_commit = off` (``RunSessionSettings``): its steps commit
/// without waiting for their WAL to reach the disk. Before the run's final ledger write, ``restore`` puts
/// back the server's setting, and a commit that waits flushes the WAL up to itself, so every step before it
/// is durable before the run reports. A server crash in between loses only a tail of steps together with
/// their ledger rows, atomically, and the next boot applies them again. A run with nothing to do records
/// itself without waiting: losing that row loses nothing.
enum CommitFlush {
    static func restore(on session: DatabaseSession) async throws(DatabaseError) {
        try await session.execute("RESET synchronous_commit")
    }
}

extension Duration {
    /// The duration in seconds, as a `Double`.
    var seconds: Double { self / .seconds(1) }
}
