import Foundation
import Logging

/// The first round trips of a run, which need no steps, so that they can go while the steps are read: set up
/// the session and, for a run that applies, read what the ledger records of the catalogue it last left applied.
struct RunOpening: Sendable {
    let started: ContinuousClock.Instant
    let startedAt: Date
    /// `nil` when the run does not consult it (heal) or the database has no ledger.
    let appliedCatalogue: Ledger.AppliedCatalogue?

    static func open(_ session: DatabaseSession, configuration: RobotConfiguration, logger: Logger) async throws(RobotError) -> RunOpening {
        let started = ContinuousClock.now
        let startedAt = Date()
        try await RunSessionSettings.setUp(session, for: configuration)
        let transaction = RunTransaction(session: session, configuration: configuration, logger: logger)
        let ledger = Ledger(schema: configuration.ledgerSchema)
        let appliedCatalogue = configuration.mode == .apply ? try await ledger.appliedCatalogue(using: transaction) : nil
        return RunOpening(started: started, startedAt: startedAt, appliedCatalogue: appliedCatalogue)
    }
}

/// One run of a robot on one open session: read the ledger, plan, lock, apply, report.
struct RunExecution: Sendable {
    let robot: Robot
    /// The robot's steps as declared, read before the run.
    let declaration: CatalogueDeclaration
    let session: DatabaseSession
    let target: String
    let telemetry: RunTelemetry
    let logger: Logger

    private var configuration: RobotConfiguration { robot.configuration }
    private var ledger: Ledger { Ledger(schema: configuration.ledgerSchema) }
    private var transaction: RunTransaction { RunTransaction(session: session, configuration: configuration, logger: logger) }

    /// Runs the catalogue on the session `opening` set up.
    func run(_ opening: RunOpening) async throws(RobotError) -> RunReport {
        let clock = ContinuousClock()
        let started = opening.started
        let startedAt = opening.startedAt
        if opening.appliedCatalogue?.isCurrent(catalogueDigest: declaration.digest) == true {
            // The ledger records this very declaration as applied: nothing to lex, plan or run.
            let outcomes = declaration.steps.enumerated().map { index, step in
                StepOutcome(position: index + 1, id: step.id ?? "", name: step.name, isCritical: step.isCritical, status: .skipped,
                            reason: nil, durationMilliseconds: nil, tries: 0, notices: [], failure: nil)
            }
            // The digest stays as it is: recording it again would also vouch for step rows another robot may
            // have written since it was read.
            return await finishWithoutWork(report(outcomes: outcomes, warnings: [], startedAt: startedAt, duration: clock.now - started,
                                                  lockWait: nil, adopted: false), recordingDigest: false)
        }
        let catalogue: Catalogue
        do {
            catalogue = try robot.catalogue(declaredAs: declaration)
        } catch {
            throw .catalogue(error)
        }
        let plan = try checked(Plan(catalogue: catalogue, ledger: try await ledger.read(using: transaction), mode: configuration.mode))
        guard plan.hasWork, !configuration.isDryRun else {
            let outcomes = plan.entries.map { outcome($0, status: $0.action == .skip ? .skipped : .pending) }
            return await finishWithoutWork(report(outcomes: outcomes, warnings: warnings(plan), startedAt: startedAt,
                                                  duration: clock.now - started, lockWait: nil, adopted: plan.isAdoption), recordingDigest: true)
        }
        // The report of the steps run under the plan made under the lock.
        let finish = { (lockedPlan: Plan, outcomes: [StepOutcome], lockWait: Duration?) in
            report(outcomes: outcomes, warnings: warnings(lockedPlan), startedAt: startedAt, duration: clock.now - started,
                   lockWait: lockWait, adopted: plan.isAdoption)
        }
        let ran = if transaction.isPooled {
            try await applyTransactionByTransaction(plan, reporting: finish)
        } else {
            try await applyHoldingTheLock(plan, of: catalogue, reporting: finish)
        }
        switch ran.outcome {
        case .stopped: throw .criticalStepFailed(ran)
        case .cancelled: throw .cancelled(ran)
        case .succeeded, .degraded, .planned: return ran
        }
    }

    /// On a direct connection: takes the robots' lock on the session, plans again under it (another robot may have
    /// done the work meanwhile), applies, records the run and releases the lock.
    private func applyHoldingTheLock(
        _ firstPlan: Plan, of catalogue: Catalogue, reporting: (Plan, [StepOutcome], Duration?) -> RunReport
    ) async throws(RobotError) -> RunReport {
        let lock = AdvisoryLock(schema: configuration.ledgerSchema)
        let held = try await lock.acquire(session, scope: .session, within: configuration.lockWaitTimeout, logger: logger)
        let report: RunReport
        do {
            try await ledger.create(using: transaction)
            let plan = try checked(Plan(catalogue: catalogue, ledger: try await ledger.read(using: transaction), mode: configuration.mode))
            let executor = StepExecutor(session: session, ledger: ledger, configuration: configuration, exclusion: .sessionLock(backend: held.backend),
                                        logger: logger)
            // Each step's round trip from the connection's event loop (see DatabaseSession.withConnectionExecutor).
            let outcomes = try await session.withConnectionExecutor { () async throws(RobotError) in
                try await apply(plan, adopting: firstPlan.isAdoption, with: executor)
            }
            try await restoreCommitFlush()
            report = reporting(plan, outcomes, held.waited)
            // Waits for the disk, and with it every step committed before.
            await record(report, recordingDigest: true, locked: true)
        } catch {
            if case .connectionLost = error {} else { await lock.release(session, logger: logger) }
            throw error
        }
        await lock.release(session, logger: logger)
        return report
    }

    /// Behind a transaction pooler: no lock outlives a transaction, so each step's transaction takes it and checks
    /// its step's ledger row again under it (``StepExecutor/Exclusion/transactionLock``); steps that run outside a
    /// transaction cannot be protected and are refused before anything runs.
    private func applyTransactionByTransaction(
        _ plan: Plan, reporting: (Plan, [StepOutcome], Duration?) -> RunReport
    ) async throws(RobotError) -> RunReport {
        let unprotected = plan.entries.filter { $0.action != .skip && !$0.step.runsInTransaction }
        guard unprotected.isEmpty else { throw .needsDirectConnection(steps: unprotected.map(\.step.label)) }
        try await ledger.create(using: transaction)
        let executor = StepExecutor(session: session, ledger: ledger, configuration: configuration, exclusion: .transactionLock(transaction),
                                    logger: logger)
        let outcomes = try await session.withConnectionExecutor { () async throws(RobotError) in
            try await apply(plan, adopting: plan.isAdoption, with: executor)
        }
        let report = reporting(plan, outcomes, nil)
        await record(report, recordingDigest: true, locked: true)
        return report
    }

    /// A dry run's report as it is; a run with nothing to do is logged and recorded.
    private func finishWithoutWork(_ report: RunReport, recordingDigest: Bool) async -> RunReport {
        guard !configuration.isDryRun else { return report }
        logger.info("every step is applied; nothing to do", metadata: ["robot.steps": "\(report.steps.count)"])
        await record(report, recordingDigest: recordingDigest, locked: false)
        return report
    }

    private func restoreCommitFlush() async throws(RobotError) {
        do {
            try await CommitFlush.restore(on: session)
        } catch {
            throw error.isConnectionLost ? .connectionLost(error, step: nil) : .ledger(operation: "set synchronous_commit", error)
        }
    }

    private func checked(_ plan: Plan) throws(RobotError) -> Plan {
        guard plan.conflicts.isEmpty else { throw .historyRewritten(conflicts: plan.conflicts) }
        return plan
    }

    private func apply(_ plan: Plan, adopting: Bool, with executor: StepExecutor) async throws(RobotError) -> [StepOutcome] {
        // The report says it too: logged below the default level, so that it is said once.
        if adopting {
            logger.info("no ledger found: running every step once (a new database, or one prepared before the robot)")
        }
        for entry in plan.changedSteps {
            logger.warning("step was edited after it was applied; it runs again. Old steps should not be edited: add a new step instead",
                           metadata: ["robot.step": "\(entry.step.id)", "robot.name": "\(entry.step.name)"])
        }
        var outcomes: [StepOutcome] = []
        var stopped = false
        for entry in plan.entries {
            if !stopped, entry.action != .skip, Task.isCancelled {
                logger.notice("the run was cancelled; it stops before the next step", metadata: ["robot.step": "\(entry.step.id)"])
                stopped = true
            }
            if stopped {
                outcomes.append(outcome(entry, status: entry.action == .skip ? .skipped : .notRun))
                continue
            }
            guard entry.action != .skip else {
                outcomes.append(outcome(entry, status: .skipped))
                continue
            }
            let result = try await telemetry.step(entry.step) { () async throws(RobotError) in try await executor.run(entry) }
            outcomes.append(result)
            if result.status == .failed && stopsTheRun(result) {
                logger.critical("a critical step failed; the run stops here", metadata: ["robot.step": "\(entry.step.id)"])
                stopped = true
            } else if result.status != .failed {
                logger.info("step \(result.status.rawValue)", metadata: [
                    "robot.step": "\(entry.step.id)", "robot.name": "\(entry.step.name)",
                    "robot.duration_ms": "\(result.durationMilliseconds ?? 0)",
                ])
            }
        }
        // The locks of the steps sent as one block are in their ledger rows: one read for the whole run.
        return await StepLockCapture(schema: configuration.ledgerSchema).attachRecorded(to: outcomes, using: transaction, logger: logger)
    }

    /// Whether a failed step stops the run: it is critical, or every step is (`--strict`).
    private func stopsTheRun(_ failed: StepOutcome) -> Bool {
        failed.isCritical || configuration.treatsEveryStepAsCritical
    }

    /// Records the run; when `recordingDigest`, one that left every step applied, with nothing to warn about,
    /// also records the catalogue's digest, so the next warm boot reads one value. A run that had work records itself
    /// under the lock (`locked`: behind a pooler, in a transaction that takes it, whose commit waits for the disk).
    private func record(_ report: RunReport, recordingDigest: Bool, locked: Bool) async {
        let steps = report.steps
        let everyStepApplied = report.warnings.isEmpty && steps.indices.allSatisfy { steps[$0].status.leavesTheStepApplied }
        let digest = recordingDigest && everyStepApplied ? declaration.digest : nil
        do {
            try await transaction.perform(locked: locked, scope: locked ? .flushingTransaction : .transaction) { () async throws(DatabaseError) in
                try await ledger.recordRun(report, catalogueDigest: digest, on: session)
            }
        } catch {
            logger.warning("could not record the run in the ledger", metadata: ["robot.error": "\(error)"])
        }
    }

    private func outcome(_ entry: Plan.Entry, status: StepOutcome.Status) -> StepOutcome {
        StepOutcome(
            position: entry.step.position, id: entry.step.id, name: entry.step.name, isCritical: entry.step.isCritical,
            status: status, reason: status == .skipped ? nil : entry.reason, durationMilliseconds: nil, tries: 0,
            notices: [], failure: nil
        )
    }

    /// What the report warns of: edited steps, and steps a newer release applied.
    private func warnings(_ plan: Plan) -> [String] {
        plan.changedSteps.map {
            "\($0.step.label) was edited after it was applied; it \(configuration.isDryRun ? "would run" : "ran") again. Add a new step instead of editing old ones"
        } + plan.unknownSteps.map {
            "the ledger has step '\($0.id)' (\($0.name)) at position \($0.position), past the end of this catalogue: a newer release applied it"
        }
    }

    private func report(
        outcomes: [StepOutcome], warnings: [String], startedAt: Date, duration: Duration, lockWait: Duration?, adopted: Bool
    ) -> RunReport {
        let failed = outcomes.indices.filter { outcomes[$0].status == .failed }
        let outcome: RunReport.Outcome =
            configuration.isDryRun ? .planned
            : failed.contains { stopsTheRun(outcomes[$0]) } ? .stopped
            : outcomes.contains { $0.status == .notRun } ? .cancelled
            : failed.isEmpty ? .succeeded : .degraded
        return RunReport(
            target: target, ledgerSchema: configuration.ledgerSchema.name,
            mode: configuration.isDryRun ? .dryRun : configuration.mode == .heal ? .heal : .apply,
            outcome: outcome, startedAt: startedAt, durationSeconds: duration.seconds, lockWaitSeconds: lockWait?.seconds,
            adoptedDatabase: adopted, steps: outcomes, warnings: warnings, robotVersion: Robot.version
        )
    }
}

extension StepOutcome.Status {
    /// Applied, healed or skipped as applied.
    fileprivate var leavesTheStepApplied: Bool {
        switch self {
        case .applied, .healed, .skipped: true
        case .failed, .notRun, .pending: false
        }
    }
}
