import Logging
import RobotSQL

/// Runs one step: its statements inside one transaction with its ledger row, retried after lock
/// timeouts, deadlocks and serialization failures.
struct StepExecutor: Sendable {
    let session: DatabaseSession
    let ledger: Ledger
    let configuration: RobotConfiguration
    let logger: Logger

    /// The SQLSTATEs worth another try: lock_not_available, deadlock_detected, serialization_failure.
    static let retryableStates: Set<String> = ["55P03", "40P01", "40001"]

    /// Runs the step and records its outcome in the ledger.
    /// - Throws: only when the connection broke, the session could not be put back after the step, or another
    ///   session holds a ledger table locked, because then nothing more can run.
    func run(_ entry: Plan.Entry) async throws(RobotError) -> StepOutcome {
        let step = entry.step
        let clock = ContinuousClock()
        var tries = 0
        while true {
            tries += 1
            let started = clock.now
            var notices: [ServerNotice] = []
            var locks: StepLocks?
            let failure: StepFailureCause?
            do throws(StepFailureCause) {
                locks = try await runOnce(step, notices: &notices)
                failure = nil
            } catch {
                failure = error
            }
            let duration = clock.now - started
            if let failure, failure.databaseError.isConnectionLost { throw .connectionLost(failure.databaseError, step: step.label) }
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

    /// After a step that may have changed the session (``CatalogueStep/changesSession``), puts it back as the run
    /// set it up, before anything else runs on it: the failure record, a retry, the next step.
    private func restoreSession(after step: CatalogueStep) async throws(RobotError) {
        guard step.changesSession else { return }
        do {
            try await RunSessionSettings.restore(lock: configuration.stepLockTimeout, statement: configuration.statementTimeout, on: session)
        } catch {
            throw error.isConnectionLost ? .connectionLost(error, step: step.label) : .sessionNotRestored(error, step: step.label)
        }
    }

    /// Runs the step once; returns its locks when they are known now (the block's are read back after the run).
    private func runOnce(_ step: CatalogueStep, notices: inout [ServerNotice]) async throws(StepFailureCause) -> StepLocks? {
        guard step.runsInTransaction else {
            return try await runStatementByStatement(step, inTransaction: false, notices: &notices)
        }
        // A step that sets its own timeouts needs the server's per-statement timer: the block has one timer.
        guard !step.setsTimeouts, !configuration.tracesLocksPerStatement else {
            return try await runStatementByStatement(step, inTransaction: true, notices: &notices)
        }
        do {
            try await runAsBlock(step, notices: &notices)
            return nil
        } catch where StepBlock.refusesTheBlock(error.databaseError) {
            // The block rolled back whole. Some statements run in a transaction block but not inside a
            // function (`SELECT … INTO`, `SET TRANSACTION …`): the step runs between BEGIN and COMMIT instead,
            // which also gives a statement that is refused anyway its usual error.
            notices.removeAll()
            return try await runStatementByStatement(step, inTransaction: true, notices: &notices)
        }
    }

    /// A transactional step: its statements and ledger row in one `DO` block, one round trip.
    private func runAsBlock(_ step: CatalogueStep, notices: inout [ServerNotice]) async throws(StepFailureCause) {
        let capture = StepLockCapture(schema: ledger.schema)
        let ledgerRow = ledger.appliedRowStatement(
            step, durationMilliseconds: "(extract(epoch FROM clock_timestamp() - statement_timestamp()) * 1000)::integer",
            locks: capture.blockLocksValue
        )
        let block = StepBlock(statements: step.statements, frame: capture.blockFrame, then: ownUser(after: step) + [ledgerRow])
        do {
            try await session.execute(block.sql)
            notices += session.takeNotices().map(block.unwrap)
        } catch {
            notices += session.takeNotices().map(block.unwrap)
            let (unwrapped, statementIndex) = block.unwrap(error)
            throw StepFailureCause(databaseError: unwrapped, statementIndex: statementIndex)
        }
    }

    /// The step one statement per round trip: between BEGIN and COMMIT with its ledger row, or, for a step
    /// PostgreSQL refuses inside a transaction block (`CREATE INDEX CONCURRENTLY` …), each statement
    /// committing on its own and the ledger row written after the last. Returns the locks it recorded.
    private func runStatementByStatement(
        _ step: CatalogueStep, inTransaction: Bool, notices: inout [ServerNotice]
    ) async throws(StepFailureCause) -> StepLocks? {
        let started = ContinuousClock.now
        defer { notices += session.takeNotices() }
        let capture = StepLockCapture(schema: ledger.schema)
        let repair = ConcurrentIndexRepair(step)
        if let repair { try await execute { () async throws(DatabaseError) in try await repair.dropInvalidIndexes(on: session, logger: logger) } }
        // Before BEGIN: a step may open with `SET TRANSACTION`, which must come first in the transaction.
        let watermark = try await execute { () async throws(DatabaseError) in try await capture.watermark(on: session) }
        if inTransaction { try await execute { () async throws(DatabaseError) in try await session.execute("BEGIN") } }
        do throws(StepFailureCause) {
            var trace = configuration.tracesLocksPerStatement && inTransaction ? LockTrace() : nil
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
            for statement in ownUser(after: step) {
                try await execute { () async throws(DatabaseError) in try await session.execute(statement) }
            }
            let locks = try await execute { () async throws(DatabaseError) in
                try await ledger.recordApplied(step, duration: ContinuousClock.now - started, locks: inTransaction
                    ? capture.locksValue(watermark: watermark) : capture.rewritesValue(watermark: watermark), on: session)
            }
            if inTransaction { try await execute { () async throws(DatabaseError) in try await session.execute("COMMIT") } }
            return trace?.applied(to: locks, committed: .now) ?? locks
        } catch {
            if inTransaction && !error.databaseError.isConnectionLost {
                _ = try? await session.execute("ROLLBACK")
            }
            // A build that failed leaves an INVALID index, which writes keep paying for until the next run.
            if let repair, !error.databaseError.isConnectionLost { try? await repair.dropInvalidIndexes(on: session, logger: logger) }
            throw error
        }
    }

    /// What puts the robot's own user back before the step's ledger row, when the step may have taken on
    /// another (`SET ROLE`, `SET SESSION AUTHORIZATION`): that role may not write the ledger.
    private func ownUser(after step: CatalogueStep) -> [String] {
        step.changesSession ? ["SET SESSION AUTHORIZATION DEFAULT"] : []
    }

    @discardableResult
    private func execute<Result>(_ work: () async throws(DatabaseError) -> Result) async throws(StepFailureCause) -> Result {
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
            try await ledger.recordFailed(step, error: cause.databaseError, duration: duration, on: session)
        } catch {
            if error.isConnectionLost { throw .connectionLost(error, step: step.label) }
            logger.error("could not record the failure in the ledger", metadata: metadata(step, ["robot.error": "\(error)"]))
        }
        return outcome(entry, status: .failed, tries: tries, duration: duration, notices: notices, failure: failure)
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
    /// Why the step runs, for reports: `new`, `failed before (…)`, `changed since applied`, `heal`.
    var reason: String? {
        switch action {
        case .apply(let reason): reason.description
        case .heal: "heal"
        case .skip: nil
        }
    }
}
