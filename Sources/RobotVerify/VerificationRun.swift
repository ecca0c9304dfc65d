import Logging
import MaintenanceRobot

/// One verification in progress: the scenarios in order, on the scratch databases of ``ScratchServer``.
struct VerificationRun: Sendable {
    /// How many checkpoint upgrades run at once, beside the fresh install that carries on to the next checkpoint.
    static let upgradesInFlight = 2

    let catalogue: Catalogue
    let options: VerifyOptions
    let server: ScratchServer
    let logger: Logger
    let progress: @Sendable (ScenarioResult) -> Void
    let mentions: ObjectMentions

    init(catalogue: Catalogue, options: VerifyOptions, server: ScratchServer, logger: Logger, progress: @escaping @Sendable (ScenarioResult) -> Void) {
        self.catalogue = catalogue
        self.options = options
        self.server = server
        self.logger = logger
        self.progress = progress
        self.mentions = ObjectMentions(catalogue)
    }

    /// Fresh install (carrying the checkpoints), idempotency, the upgrade paths, then the upgrade from an older catalogue.
    func all(checkpoints: [Int]) async throws(VerifyError) -> [ScenarioResult] {
        let fresh = try await freshInstall(carrying: checkpoints)
        var results = [fresh.result, try await idempotency(fresh)]
        results += fresh.upgrades.map { judge($0, expected: fresh.fingerprint) }
        if let older = options.olderCatalogue {
            let upgrade = try await upgradeFromOlderCatalogue(older.catalogue, label: older.label)
            results.append(judge(upgrade, expected: fresh.fingerprint))
        }
        return results
    }

    /// The fresh-install database, kept for the idempotency scenario, its fingerprint, and the upgrades made
    /// from the checkpoints on the way.
    struct FreshInstall {
        let database: String
        let state: DatabaseState
        let result: ScenarioResult
        let upgrades: [Upgrade]

        var fingerprint: Fingerprint { state.fingerprint }
    }

    /// What a scenario left: its fingerprint, and the INVALID indexes (concurrent builds that did not finish).
    struct DatabaseState {
        let fingerprint: Fingerprint
        let invalidIndexes: [InvalidIndex]
    }

    /// An upgrade that ran, waiting for the fresh install's fingerprint to be judged.
    struct Upgrade {
        let kind: ScenarioResult.Kind
        let title: String
        let actualLabel: String
        let state: DatabaseState
        let stepFailures: [String]
        let notes: [String]
        let duration: Duration
        /// The steps that ran on tables with rows (with sample rows only).
        let locks: [StepLockReport]
    }

    /// Applies the catalogue to an empty database in chunks that end at the checkpoints, so the same database is
    /// the fresh install and, on the way, the state at each checkpoint: there a `TEMPLATE` copy is upgraded with
    /// the full catalogue, and no prefix is ever applied twice. A step that fails in any chunk fails the fresh install.
    private func freshInstall(carrying checkpoints: [Int]) async throws(VerifyError) -> FreshInstall {
        let database = try await server.createEmpty("fresh")
        var applying = Duration.zero
        var failures: [String] = []
        var inFlight: [Task<Result<Upgrade, VerifyError>, Never>] = []
        var upgrades: [Upgrade] = []
        do throws(VerifyError) {
            for end in Self.chunkEnds(checkpoints: checkpoints, stepCount: catalogue.steps.count) {
                let started = ContinuousClock.now
                let report = try await runRobot(catalogue.prefix(end), mode: .apply, on: database, scenario: "fresh install")
                applying += ContinuousClock.now - started
                failures += Self.failures(in: report).filter { !failures.contains($0) }
                guard checkpoints.contains(end) else { continue }
                inFlight.append(try await startUpgrade(ofCopyOf: database, at: end))
                if inFlight.count > Self.upgradesInFlight { upgrades.append(try await inFlight.removeFirst().value.get()) }
            }
            for task in inFlight { upgrades.append(try await task.value.get()) }
        } catch {
            for task in inFlight { task.cancel(); _ = await task.value }
            throw error
        }
        let started = ContinuousClock.now
        let state = try await capture(database)
        let result = finish(ScenarioResult(
            kind: .freshInstall, title: "fresh install (\(catalogue.steps.count) steps)", passed: true,
            durationSeconds: 0, stepFailures: failures, differences: [], notes: [], invalidIndexes: state.invalidIndexes
        ), took: applying + (ContinuousClock.now - started))
        return FreshInstall(database: database, state: state, result: result, upgrades: upgrades)
    }

    /// Copies the database as it stands at checkpoint `position` now, and upgrades the copy in a task of its own
    /// while the fresh install goes on.
    private func startUpgrade(ofCopyOf database: String, at position: Int) async throws(VerifyError) -> Task<Result<Upgrade, VerifyError>, Never> {
        let started = ContinuousClock.now
        let copy = try await server.copy(database, as: "at_\(position)")
        return Task {
            do throws(VerifyError) {
                return .success(try await upgradeCopy(copy, at: position, started: started))
            } catch {
                return .failure(error)
            }
        }
    }

    /// The checkpoints in order, and the last step when it is not one.
    static func chunkEnds(checkpoints: [Int], stepCount: Int) -> [Int] {
        checkpoints.last == stepCount ? checkpoints : checkpoints + [stepCount]
    }

    private func idempotency(_ fresh: FreshInstall) async throws(VerifyError) -> ScenarioResult {
        let started = ContinuousClock.now
        let report = try await runRobot(catalogue, mode: .heal, on: fresh.database, scenario: "idempotency")
        let healed = try await capture(fresh.database)
        let differences = Difference.between(
            fresh.fingerprint.entries(includingData: true), healed.fingerprint.entries(includingData: true),
            actualLabel: "after heal", mentions: mentions
        )
        try await server.drop(fresh.database)
        return finish(ScenarioResult(
            kind: .idempotency, title: "idempotency (every step again, heal mode)", passed: true, durationSeconds: 0,
            stepFailures: Self.failures(in: report), differences: differences, notes: [], invalidIndexes: healed.invalidIndexes
        ), took: ContinuousClock.now - started)
    }

    /// Upgrades the copy made at checkpoint `position`, then drops it.
    private func upgradeCopy(_ copy: String, at position: Int, started: ContinuousClock.Instant) async throws(VerifyError) -> Upgrade {
        let name = checkpointName(position)
        let upgrade = try await self.upgrade(
            copy, kind: .upgradePath, title: "upgrade from \(name)\(options.withData ? " with sample rows" : "")",
            actualLabel: "upgraded from \(name)", notes: [], started: started
        )
        try await server.drop(copy)
        return upgrade
    }

    private func upgradeFromOlderCatalogue(_ older: Catalogue, label: String) async throws(VerifyError) -> Upgrade {
        let started = ContinuousClock.now
        let database = try await server.createEmpty("older")
        let building = try await runRobot(older, mode: .apply, on: database, scenario: "building \(label)")
        let upgrade = try await self.upgrade(
            database, kind: .upgradeFromOlderCatalogue, title: "upgrade from \(label)", actualLabel: "upgraded from \(label)",
            notes: Self.failures(in: building).map { "while building \(label): \($0)" }, started: started
        )
        try await server.drop(database)
        return upgrade
    }

    /// Inserts sample rows when asked (and then traces each step's locks), runs the full catalogue, and reads the
    /// fingerprint.
    private func upgrade(
        _ database: String, kind: ScenarioResult.Kind, title: String, actualLabel: String, notes: [String], started: ContinuousClock.Instant
    ) async throws(VerifyError) -> Upgrade {
        var notes = notes
        if options.withData { notes += try await insertSampleRows(database) }
        let report = try await runRobot(catalogue, mode: .apply, on: database, scenario: title, tracingLocks: options.withData)
        let state = try await capture(database)
        return Upgrade(kind: kind, title: title, actualLabel: actualLabel, state: state,
                       stepFailures: Self.failures(in: report), notes: notes, duration: ContinuousClock.now - started,
                       locks: report.steps.compactMap { StepLockReport($0, in: catalogue) })
    }

    /// Compares an upgrade with the fresh install: the schema, and the data unless sample rows were added.
    private func judge(_ upgrade: Upgrade, expected: Fingerprint) -> ScenarioResult {
        let differences = Difference.between(
            expected.entries(includingData: !options.withData), upgrade.state.fingerprint.entries(includingData: !options.withData),
            actualLabel: upgrade.actualLabel, mentions: mentions
        )
        return finish(ScenarioResult(
            kind: upgrade.kind, title: upgrade.title, passed: true, durationSeconds: 0,
            stepFailures: upgrade.stepFailures, differences: differences, notes: upgrade.notes,
            invalidIndexes: upgrade.state.invalidIndexes, locks: upgrade.locks
        ), took: upgrade.duration)
    }

    /// `v1.1 (step 5)` for a tag's last step, `step 7` otherwise.
    private func checkpointName(_ position: Int) -> String {
        let step = catalogue.steps[position - 1]
        let nextTag = position < catalogue.steps.count ? catalogue.steps[position].versionTag : nil
        if let tag = step.versionTag, nextTag != tag { return "\(tag) (step \(position))" }
        return "step \(position)"
    }

    /// Sets `passed` (no failed step, no difference) and the duration, and reports progress.
    private func finish(_ result: ScenarioResult, took duration: Duration) -> ScenarioResult {
        var finished = result
        finished.passed = result.stepFailures.isEmpty && result.differences.isEmpty && result.invalidIndexes.isEmpty
        finished.durationSeconds = duration / .seconds(1)
        progress(finished)
        return finished
    }

    private func runRobot(
        _ catalogue: Catalogue, mode: Plan.Mode, on database: String, scenario: String, tracingLocks: Bool = false
    ) async throws(VerifyError) -> RunReport {
        var configuration = options.robotConfiguration
        configuration.mode = mode
        configuration.isDryRun = false
        configuration.tracesLocksPerStatement = tracingLocks
        do {
            return try await Robot(catalogue: catalogue, configuration: configuration).run(on: await server.settings(database), logger: logger)
        } catch {
            if case .criticalStepFailed(let report) = error { return report }
            throw .robot(scenario: scenario, error)
        }
    }

    private func capture(_ database: String) async throws(VerifyError) -> DatabaseState {
        try await withSession(database, operation: "read the fingerprint of") { session throws(DatabaseError) in
            DatabaseState(
                fingerprint: try await Fingerprint.capture(session, ledgerSchema: options.robotConfiguration.ledgerSchema),
                invalidIndexes: try await InvalidIndex.read(on: session, catalogue: catalogue)
            )
        }
    }

    private func insertSampleRows(_ database: String) async throws(VerifyError) -> [String] {
        try await withSession(database, operation: "insert sample rows into") { session throws(DatabaseError) in
            try await SampleRows(filter: SchemaFilter(ledgerSchema: options.robotConfiguration.ledgerSchema.name), rowsPerTable: options.sampleRows)
                .insert(session)
        }
    }

    /// Runs `body` on a session of `database`, closed afterwards (a template copy needs it gone).
    private func withSession<Result>(
        _ database: String, operation: String, _ body: (DatabaseSession) async throws(DatabaseError) -> Result
    ) async throws(VerifyError) -> Result {
        let session: DatabaseSession
        do {
            session = try await DatabaseSession.connect(to: await server.settings(database), waitingUpTo: options.robotConfiguration.connectTimeout, logger: logger)
        } catch {
            throw .connection(error)
        }
        do {
            let result = try await body(session)
            await session.close()
            return result
        } catch {
            await session.close()
            throw .scratchDatabase(operation: operation, database: database, error)
        }
    }

    /// Each failed step, and each step a critical failure kept from running, on one line (plus the error's detail).
    static func failures(in report: RunReport) -> [String] {
        report.steps.compactMap { step in
            switch step.status {
            case .failed: "step \(step.position) \"\(step.name)\" failed: \(step.failure?.description ?? "no error recorded")"
            case .notRun: "step \(step.position) \"\(step.name)\" did not run: a critical step failed before it"
            case .applied, .healed, .skipped, .pending: nil
            }
        }
    }
}
