import Logging

/// A transaction of a run: `BEGIN`, the work, `COMMIT`, and `ROLLBACK` when anything fails.
///
/// On a direct connection (``RobotConfiguration/Pooler/none``) the session already carries the run's settings and
/// holds the robots' lock, so a transaction is just that. Behind a connection pooler in transaction mode
/// (``RobotConfiguration/Pooler/transaction``) each transaction may run on another server session, and whatever a
/// statement leaves on a session — a setting, an advisory lock — stays with a server connection the pooler hands to
/// other clients next. There every transaction carries what it needs itself: it sets the run's timeouts with
/// `SET LOCAL` (``RunSessionSettings``), and when it writes it takes the robots' lock with `pg_advisory_xact_lock`,
/// which ends with it. A step then costs four round trips instead of one; a warm boot's reads take no lock.
struct RunTransaction: Sendable {
    let session: DatabaseSession
    /// Behind a transaction pooler, the settings each transaction sets for itself; `nil` on a direct connection.
    let localSettings: RunSessionSettings?
    let lock: AdvisoryLock
    /// How long a transaction waits for another robot's transaction to release the lock.
    let lockWait: Duration
    let logger: Logger

    init(session: DatabaseSession, configuration: RobotConfiguration, logger: Logger) {
        self.session = session
        self.localSettings = configuration.pooler == .transaction ? RunSessionSettings(configuration) : nil
        self.lock = AdvisoryLock(schema: configuration.ledgerSchema)
        self.lockWait = configuration.lockWaitTimeout
        self.logger = logger
    }

    /// Whether each transaction brings its own settings and lock: the run is behind a transaction pooler.
    var isPooled: Bool { localSettings != nil }

    /// Why a transaction did not commit.
    enum Failure<E: Error>: Error {
        /// The work failed; the transaction rolled back.
        case body(E)
        /// `BEGIN`, the settings or `COMMIT` failed; the transaction rolled back.
        case database(DatabaseError)
        /// The lock was not obtained, or the wait for it was cancelled; nothing ran.
        case lock(RobotError)
    }

    /// Runs `body` in a transaction of its own: `BEGIN`, behind a pooler the settings and (when `locked`) the lock,
    /// `body`, `COMMIT`.
    /// - Parameter scope: ``RunSessionSettings/Scope/flushingTransaction`` for the run's last write, whose commit waits
    ///   for the disk and with it every step's before.
    func run<T, E: Error>(
        locked: Bool, scope: RunSessionSettings.Scope = .transaction, _ body: () async throws(E) -> T
    ) async throws(Failure<E>) -> T {
        do {
            try await begin(locked: locked, scope: scope)
        } catch {
            throw error.mapBody()
        }
        let value: T
        do {
            value = try await body()
        } catch {
            await rollBack()
            throw .body(error)
        }
        do {
            try await commit()
        } catch {
            throw .database(error)
        }
        return value
    }

    /// Runs one statement's work (`body`) as it is on a direct connection, and behind a pooler in a transaction of its
    /// own, with the settings and, when `locked`, the lock.
    func perform<T>(
        locked: Bool, scope: RunSessionSettings.Scope = .transaction, _ body: () async throws(DatabaseError) -> T
    ) async throws(Failure<DatabaseError>) -> T {
        guard isPooled else {
            do { return try await body() } catch { throw .body(error) }
        }
        return try await run(locked: locked, scope: scope, body)
    }

    /// Opens a transaction, behind a pooler with the settings and, when `locked`, the lock; rolls it back when that
    /// fails.
    func begin(locked: Bool, scope: RunSessionSettings.Scope = .transaction) async throws(Failure<Never>) {
        do {
            try await session.execute("BEGIN")
            if let localSettings { try await session.execute(localSettings.statement(scope: scope)) }
        } catch {
            await rollBack(after: error)
            throw .database(error)
        }
        guard locked, isPooled else { return }
        do {
            _ = try await lock.acquire(session, scope: .transaction, within: lockWait, logger: logger)
        } catch {
            await rollBack()
            throw .lock(error)
        }
    }

    /// Commits the open transaction; rolls it back when that fails.
    func commit() async throws(DatabaseError) {
        do {
            try await session.execute("COMMIT")
        } catch {
            await rollBack(after: error)
            throw error
        }
    }

    /// Rolls the open transaction back, unless the connection is gone (and the transaction with it).
    func rollBack(after error: DatabaseError? = nil) async {
        guard error?.isConnectionLost != true else { return }
        _ = try? await session.execute("ROLLBACK")
    }
}

extension RunTransaction.Failure where E == Never {
    /// The same failure, for a transaction whose work fails with `F`.
    func mapBody<F: Error>() -> RunTransaction.Failure<F> {
        switch self {
        case .database(let error): .database(error)
        case .lock(let error): .lock(error)
        }
    }
}

extension RunTransaction.Failure where E == DatabaseError {
    /// What the failure of a ledger operation means for the run (``Ledger/failure(_:_:waited:on:)``).
    func robotError(_ operation: String, ledger: Ledger, waited: Duration, on session: DatabaseSession) async -> RobotError {
        switch self {
        case .body(let error), .database(let error): await ledger.failure(operation, error, waited: waited, on: session)
        case .lock(let error): error
        }
    }
}

extension RunTransaction.Failure where E == RobotError {
    /// The run's error, whichever part failed.
    func robotError(_ operation: String) -> RobotError {
        switch self {
        case .body(let error), .lock(let error): error
        case .database(let error): error.isConnectionLost ? .connectionLost(error, step: nil) : .ledger(operation: operation, error)
        }
    }
}
