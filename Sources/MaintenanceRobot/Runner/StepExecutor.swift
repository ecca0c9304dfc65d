import Logging
import RobotSQL

/// Runs one step: its statements inside one transaction with its ledger row, retried after lock
/// timeouts, deadlocks and serialization failures.
struct StepExecutor: Sendable {
    let session: DatabaseSession
    let ledger: Ledger
    let configuration: RobotConfiguration
    /// How the step keeps other robots out while it runs.
    let exclusion: Exclusion
    let logger: Logger

    /// How a step keeps other robots out while it runs.
    enum Exclusion: Sendable {
        /// The run holds the robots' lock on its session, on the server session `backend`. Each step checks that it
        /// runs there: on a direct connection it always does, and behind a transaction pooler the run stops
        /// (``RobotError/transactionPooler(step:)``) rather than run a step beside another robot's.
        case sessionLock(backend: Int)
        /// Behind a transaction pooler: each step's transaction takes the lock itself and reads the step's ledger row
        /// again under it, so that a step another robot applied meanwhile is skipped.
        case transactionLock(RunTransaction)
    }

    /// The SQLSTATEs worth another try: lock_not_available, deadlock_detected, serialization_failure.
    static let retryableStates: Set<String> = ["55P03", "40P01", "40001"]
    /// The SQLSTATE a step's block raises when it runs on another server session than the one holding the lock.
    static let anotherSessionState = "MR001"

    /// How a step is sent.
    private enum Form {
        /// One `DO` block with its ledger row (``StepBlock``): one round trip.
        case block
        /// Statement by statement between `BEGIN` and `COMMIT`.
        case statements
        /// Statement by statement, each committing on its own, the ledger row after the last.
        case withoutTransaction
    }

    /// How opening a step's transaction ended.
    private enum Opening {
        case open
        /// Behind a pooler, another robot applied the step after this run planned it.
        case appliedMeanwhile
        /// The wait for the lock was cancelled; the step did not run.
        case cancelled
    }

    /// Runs the step and records its outcome in the ledger.
    /// - Throws: only when the connection broke, the session could not be put back after the step, a lock was not
    ///   obtained (another robot's, or another session's on the ledger), or a pooler is in the way, because then
    ///   nothing more can run.
    func run(_ entry: Plan.Entry) async throws(RobotError) -> StepOutcome {
        let step = entry.step
        let clock = ContinuousClock()
        // A step that sets its own timeouts needs the server's per-statement timer (the block has one); a traced run
        // reads the locks after each statement.
        var form: Form = !step.runsInTransaction ? .withoutTransaction
            : step.setsTimeouts || configuration.tracesLocksPerStatement ? .statements : .block
        var tries = 0
        while true {
            tries += 1
            let started = clock.now
            var notices: [ServerNotice] = []
            // Before the step's transaction: a step may open with `SET TRANSACTION`, which must come first in it.
            let watermark = form == .block ? nil : try await watermark(before: step)
            let opening = try await open(entry, as: form)
            switch opening {
            case .open: break
            case .appliedMeanwhile:
                logger.info("step applied by another robot meanwhile", metadata: metadata(step, [:]))
                return outcome(entry, status: .skipped, tries: tries - 1, duration: clock.now - started, notices: [], failure: nil)
            case .cancelled:
                return outcome(entry, status: .notRun, tries: tries - 1, duration: .zero, notices: [], failure: nil)
            }
            var locks: StepLocks?
            let failure: StepFailureCause?
            do throws(StepFailureCause) {
                locks = try await runOnce(step, as: form, watermark: watermark, notices: &notices)
                failure = nil
            } catch {
                failure = error
            }
            let duration = clock.now - started
            if let failure, failure.databaseError.isConnectionLost { throw .connectionLost(failure.databaseError, step: step.label) }
            if failure?.databaseError.sqlState == Self.anotherSessionState { throw .transactionPooler(step: step.label) }
            if form == .block, let failure, StepBlock.refusesTheBlock(failure.databaseError) {
                // The block rolled back whole. Some statements run in a transaction block but not inside a
                // function (`SELECT … INTO`, `SET TRANSACTION …`): the step runs between BEGIN and COMMIT instead,
                // which also gives a statement that is refused anyway its usual error.
                form = .statements
                tries -= 1
                continue
            }
            try await restoreSession(after: step)
            guard let failure else {
                return outcome(entry, status: entry.action == .heal ? .healed : .applied, tries: tries,
                               duration: duration, notices: notices, failure: nil, locks: locks)
            }
            // The step's own statements ran; its ledger row waited for a lock another session holds on the ledger.
            if failure.statementIndex == nil, failure.databaseError.sqlState == "55P03",
               let owner = try? await LockOwner.find(.ledgerTables(ledger.schema), on: session) {
                throw .lockNotObtained(.ledgerTable(owner.table), waitedSeconds: duration.seconds, holder: owner.description)
            }
            if let state = failure.databaseError.sqlState, Self.retryableStates.contains(state), tries <= configuration.lockRetries {
                let delay = Duration.milliseconds(500) * (1 << (tries - 1))
                logger.warning("step hit a lock, trying again", metadata: metadata(step, [
                    "robot.sqlstate": "\(state)", "robot.retry_in_ms": "\(delay.milliseconds)",
                ]))
                do {
                    try await Task.sleep(for: delay)
                    continue
                } catch {
                    // Cancelled: the step stays failed for this run, and the run stops before the next one.
                }
            }
            return try await recordFailure(entry, failure, tries: tries, duration: duration, notices: notices)
        }
    }

    /// Opens what the step's form needs before its statements: behind a pooler a transaction with the run's settings
    /// and the lock, and the step's ledger row read again under it; on the session that holds the lock, `BEGIN` for a
    /// step sent statement by statement.
    private func open(_ entry: Plan.Entry, as form: Form) async throws(RobotError) -> Opening {
        switch exclusion {
        case .transactionLock(let transaction):
            do {
                try await transaction.begin(locked: true)
            } catch {
                switch error {
                case .lock(.cancelled): return .cancelled
                case .lock(let error): throw error
                case .database(let error): throw error.isConnectionLost ? .connectionLost(error, step: entry.step.label) : .ledger(operation: "begin \(entry.step.label)", error)
                }
            }
            let row: LedgerRow?
            do {
                row = try await ledger.row(of: entry.step, on: session)
            } catch {
                await transaction.rollBack(after: error)
                throw await ledger.failure("read the ledger", error, waited: .zero, on: session)
            }
            guard let row, entry.isDone(by: row) else { return .open }
            await transaction.rollBack()
            return .appliedMeanwhile
        case .sessionLock:
            guard form == .statements else { return .open }
            do {
                try await session.execute("BEGIN")
            } catch {
                throw error.isConnectionLost ? .connectionLost(error, step: entry.step.label) : .ledger(operation: "begin \(entry.step.label)", error)
            }
            return .open
        }
    }

    /// After a step that may have changed the session (``CatalogueStep/changesSession``), puts it back as the run
    /// set it up, before anything else runs on it: the failure record, a retry, the next step. Behind a pooler the
    /// step did that itself, inside its transaction.
    private func restoreSession(after step: CatalogueStep) async throws(RobotError) {
        guard step.changesSession, case .sessionLock = exclusion else { return }
        do {
            try await RunSessionSettings(configuration).restore(on: session)
        } catch {
            throw error.isConnectionLost ? .connectionLost(error, step: step.label) : .sessionNotRestored(error, step: step.label)
        }
    }

    /// Runs the step in the form given, in the transaction ``open(_:as:)`` began (committed here, or rolled back
    /// when anything fails). Returns its locks when they are known now; a block's are read back after the run
    /// (``StepLockCapture/attachRecorded(to:using:logger:)``).
    private func runOnce(
        _ step: CatalogueStep, as form: Form, watermark: String?, notices: inout [ServerNotice]
    ) async throws(StepFailureCause) -> StepLocks? {
        switch form {
        case .block:
            try await runAsBlock(step, notices: &notices)
            return nil
        case .statements:
            return try await runStatementByStatement(step, inTransaction: true, watermark: watermark ?? "0", notices: &notices)
        case .withoutTransaction:
            return try await runStatementByStatement(step, inTransaction: false, watermark: watermark ?? "0", notices: &notices)
        }
    }

    /// The relation numbers in use before a step sent statement by statement (see ``StepLockCapture``).
    private func watermark(before step: CatalogueStep) async throws(RobotError) -> String {
        do {
            return try await StepLockCapture(schema: ledger.schema).watermark(on: session)
        } catch {
            throw error.isConnectionLost ? .connectionLost(error, step: step.label) : .ledger(operation: "read the relation numbers before \(step.label)", error)
        }
    }

    /// Whether a transaction was begun for the step (by ``open(_:as:)``) and is to be committed with it.
    private func transactionIsOpen(for form: Form) -> Bool {
        switch exclusion {
        case .transactionLock: true
        case .sessionLock: form == .statements
        }
    }

    /// A transactional step: its statements and ledger row in one `DO` block, one round trip (behind a pooler, inside
    /// the transaction that holds the lock, committed after it).
    private func runAsBlock(_ step: CatalogueStep, notices: inout [ServerNotice]) async throws(StepFailureCause) {
        let onSession: Int? = if case .sessionLock(let backend) = exclusion { backend } else { nil }
        let frame = StepLockCapture(schema: ledger.schema).blockFrame(for: step, onlyOnBackend: onSession)
        let block = StepBlock(statements: step.statements, frame: frame, then: restoring(after: step))
        do {
            try await session.execute(block.sql)
            notices += session.takeNotices().map(block.unwrap)
        } catch {
            notices += session.takeNotices().map(block.unwrap)
            await rollBackIfOpen(.block, after: error)
            let (unwrapped, statementIndex) = block.unwrap(error)
            throw StepFailureCause(databaseError: unwrapped, statementIndex: statementIndex)
        }
        try await commitIfOpen(.block)
    }

    /// The step one statement per round trip: between BEGIN and COMMIT with its ledger row, or, for a step
    /// PostgreSQL refuses inside a transaction block (`CREATE INDEX CONCURRENTLY` …), each statement
    /// committing on its own and the ledger row written after the last. Returns the locks it recorded, given the
    /// relation numbers in use before it (`watermark`).
    private func runStatementByStatement(
        _ step: CatalogueStep, inTransaction: Bool, watermark: String, notices: inout [ServerNotice]
    ) async throws(StepFailureCause) -> StepLocks? {
        let form: Form = inTransaction ? .statements : .withoutTransaction
        let started = ContinuousClock.now
        defer { notices += session.takeNotices() }
        let capture = StepLockCapture(schema: ledger.schema)
        let repair = ConcurrentIndexRepair(step)
        let locks: StepLocks?
        var trace = configuration.tracesLocksPerStatement && inTransaction ? LockTrace() : nil
        do throws(StepFailureCause) {
            if !inTransaction { try await checkBackend() }
            if let repair { try await execute { () async throws(DatabaseError) in try await repair.dropInvalidIndexes(on: session, logger: logger) } }
            for (index, statement) in step.statements.enumerated() {
                let statementStarted = ContinuousClock.now
                do {
                    try await session.execute(statement.sql)
                    try await trace?.observe(statement: index, started: statementStarted, on: session)
                } catch {
                    throw StepFailureCause(databaseError: error, statementIndex: index)
                }
            }
            if let repair, let (error, index) = try await execute({ () async throws(DatabaseError) in try await repair.invalidAfterTheStep(on: session) }) {
                throw StepFailureCause(databaseError: error, statementIndex: index)
            }
            // After the statements, not before: `SET TRANSACTION` must come before any query of the transaction.
            if inTransaction { try await checkBackend() }
            for statement in restoring(after: step) {
                try await execute { () async throws(DatabaseError) in _ = try await session.execute(statement) }
            }
            locks = try await execute { () async throws(DatabaseError) in
                try await ledger.recordApplied(step, duration: ContinuousClock.now - started, locks: inTransaction
                    ? capture.locksValue(watermark: watermark) : capture.rewritesValue(watermark: watermark), on: session)
            }
        } catch {
            await rollBackIfOpen(form, after: error.databaseError)
            // A build that failed leaves an INVALID index, which writes keep paying for until the next run.
            if let repair, !error.databaseError.isConnectionLost { try? await repair.dropInvalidIndexes(on: session, logger: logger) }
            throw error
        }
        try await commitIfOpen(form)
        return trace?.applied(to: locks, committed: .now) ?? locks
    }

    /// On the session that holds the robots' lock: fails with ``anotherSessionState`` when the statements run on
    /// another server session (a transaction pooler moved them). A block checks that itself.
    private func checkBackend() async throws(StepFailureCause) {
        guard case .sessionLock(let backend) = exclusion else { return }
        let found = try await execute { () async throws(DatabaseError) in
            try await session.execute("SELECT pg_backend_pid() AS backend").first?.int("backend")
        }
        guard found == backend else {
            throw StepFailureCause(databaseError: DatabaseError(sqlState: Self.anotherSessionState, message: "the step runs on another server session than the one holding the robot's lock"),
                                   statementIndex: nil)
        }
    }

    private func commitIfOpen(_ form: Form) async throws(StepFailureCause) {
        guard transactionIsOpen(for: form) else { return }
        do {
            try await session.execute("COMMIT")
        } catch {
            await rollBackIfOpen(form, after: error)
            throw StepFailureCause(databaseError: error, statementIndex: nil)
        }
    }

    private func rollBackIfOpen(_ form: Form, after error: DatabaseError) async {
        guard transactionIsOpen(for: form), !error.isConnectionLost else { return }
        _ = try? await session.execute("ROLLBACK")
    }

    /// What runs after a step's statements and before its ledger row, inside its transaction, when the step may have
    /// changed the session (`SET ROLE`, `SET SESSION AUTHORIZATION`, `SET search_path` …): the robot's own user back,
    /// since another role may not write the ledger; behind a pooler, every setting back too, since the server
    /// session is not the robot's once the transaction ends.
    private func restoring(after step: CatalogueStep) -> [String] {
        guard step.changesSession else { return [] }
        switch exclusion {
        case .sessionLock: return ["SET SESSION AUTHORIZATION DEFAULT"]
        case .transactionLock: return RunSessionSettings(configuration).restoringStatements
        }
    }

    private func execute<T>(_ work: () async throws(DatabaseError) -> T) async throws(StepFailureCause) -> T {
        do {
            return try await work()
        } catch {
            throw StepFailureCause(databaseError: error, statementIndex: nil)
        }
    }

    private func recordFailure(
        _ entry: Plan.Entry, _ cause: StepFailureCause, tries: Int, duration: Duration, notices: [ServerNotice]
    ) async throws(RobotError) -> StepOutcome {
        let step = entry.step
        let failure = step.failure(for: cause.databaseError, statementIndex: cause.statementIndex)
        logger.error("step failed and was rolled back", metadata: metadata(step, [
            "robot.sqlstate": "\(failure.sqlState ?? "none")", "robot.error": "\(failure.message)",
            "robot.location": "\(failure.location ?? step.origin.description)",
        ]))
        do {
            if try await writeFailure(entry, cause.databaseError, duration: duration) == .appliedMeanwhile {
                logger.info("step applied by another robot meanwhile", metadata: metadata(step, [:]))
                return outcome(entry, status: .skipped, tries: tries, duration: duration, notices: [], failure: nil)
            }
        } catch {
            switch error {
            case .body(let error) where error.isConnectionLost, .database(let error) where error.isConnectionLost:
                throw .connectionLost(error, step: step.label)
            case .body(let error), .database(let error):
                logger.error("could not record the failure in the ledger", metadata: metadata(step, ["robot.error": "\(error)"]))
            case .lock(let error):
                logger.error("could not record the failure in the ledger", metadata: metadata(step, ["robot.error": "\(error)"]))
            }
        }
        return outcome(entry, status: .failed, tries: tries, duration: duration, notices: notices, failure: failure)
    }

    /// Writes the failure of a step whose transaction rolled back: behind a pooler, in a transaction of its own under
    /// the lock, and only when no other robot applied the step meanwhile.
    private func writeFailure(
        _ entry: Plan.Entry, _ error: DatabaseError, duration: Duration
    ) async throws(RunTransaction.Failure<DatabaseError>) -> FailureRecord {
        guard case .transactionLock(let transaction) = exclusion else {
            do {
                try await ledger.recordFailed(entry.step, error: error, duration: duration, on: session)
            } catch {
                throw .body(error)
            }
            return .recorded
        }
        return try await transaction.run(locked: true) { () async throws(DatabaseError) -> FailureRecord in
            if let row = try await ledger.row(of: entry.step, on: session), entry.isDone(by: row) { return .appliedMeanwhile }
            try await ledger.recordFailed(entry.step, error: error, duration: duration, on: session)
            return .recorded
        }
    }

    private enum FailureRecord {
        case recorded
        /// Another robot applied the step since this run planned it: its row stands.
        case appliedMeanwhile
    }

    private func outcome(
        _ entry: Plan.Entry, status: StepOutcome.Status, tries: Int, duration: Duration,
        notices: [ServerNotice], failure: StepFailure?, locks: StepLocks? = nil
    ) -> StepOutcome {
        StepOutcome(
            position: entry.step.position, id: entry.step.id, name: entry.step.name, isCritical: entry.step.isCritical,
            status: status, reason: entry.reason, durationMilliseconds: duration.milliseconds, tries: tries,
            notices: notices, failure: failure, locks: locks
        )
    }

    private func metadata(_ step: CatalogueStep, _ extra: Logger.Metadata) -> Logger.Metadata {
        extra.merging(["robot.step": "\(step.id)", "robot.position": "\(step.position)", "robot.name": "\(step.name)"]) { $1 }
    }
}

/// A failed statement of a step and which one it was.
struct StepFailureCause: Error {
    let databaseError: DatabaseError
    /// The 0-based index of the failing statement; `nil` for BEGIN, COMMIT, or the ledger write.
    let statementIndex: Int?
}

extension Plan.Entry {
    /// Whether `row`, read under the lock, says that another robot applied the step after this run planned it: it is
    /// applied with the step's checksum, and it is not the row the plan read.
    func isDone(by row: LedgerRow) -> Bool {
        row.status == .applied && row.checksum == step.checksum && row.lastRunAt != ledgerRow?.lastRunAt
    }

    /// Why the step runs, for reports: `new`, `failed before (…)`, `changed since applied`, `heal`.
    var reason: String? {
        switch action {
        case .apply(let reason): reason.description
        case .heal: "heal"
        case .skip: nil
        }
    }
}
