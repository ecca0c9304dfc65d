import Logging
import MaintenanceRobot

/// One verification in progress: the scenarios in order, on the scratch databases of ``ScratchServer``.
struct VerificationRun {
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

    /// Fresh install and idempotency, then the upgrade paths and the upgrade from an older catalogue.
    func all(checkpoints: [Int]) async throws(VerifyError) -> [ScenarioResult] {
        let fresh = try await freshInstall()
        var results = [fresh.result, try await idempotency(fresh)]
        results += try await upgradePaths(checkpoints, expected: fresh.fingerprint)
        if let older = options.olderCatalogue {
            results.append(try await upgradeFromOlderCatalogue(older.catalogue, label: older.label, expected: fresh.fingerprint))
        }
        return results
    }

    /// The fresh-install database, kept for the idempotency scenario, and its fingerprint.
    struct FreshInstall {
        let database: String
        let fingerprint: Fingerprint
        let result: ScenarioResult
    }

    private func freshInstall() async throws(VerifyError) -> FreshInstall {
        let started = ContinuousClock.now
        let database = try await server.createEmpty("fresh")
        let report = try await runRobot(catalogue, mode: .apply, on: database, scenario: "fresh install")
        let fingerprint = try await capture(database)
        let result = finish(ScenarioResult(
            kind: .freshInstall, title: "fresh install (\(catalogue.steps.count) steps)", passed: true,
            durationSeconds: 0, stepFailures: Self.failures(in: report), differences: [], notes: []
        ), started: started)
        return FreshInstall(database: database, fingerprint: fingerprint, result: result)
    }

    private func idempotency(_ fresh: FreshInstall) async throws(VerifyError) -> ScenarioResult {
        let started = ContinuousClock.now
        let report = try await runRobot(catalogue, mode: .heal, on: fresh.database, scenario: "idempotency")
        let differences = Difference.between(
            fresh.fingerprint.entries(includingData: true), try await capture(fresh.database).entries(includingData: true),
            actualLabel: "after heal", mentions: mentions
        )
        try await server.drop(fresh.database)
        return finish(ScenarioResult(
            kind: .idempotency, title: "idempotency (every step again, heal mode)", passed: true, durationSeconds: 0,
            stepFailures: Self.failures(in: report), differences: differences, notes: []
        ), started: started)
    }

    /// Builds the database checkpoint by checkpoint on one carried database (each prefix applies only the steps
    /// since the previous checkpoint), and upgrades a `TEMPLATE` copy of it at each checkpoint.
    private func upgradePaths(_ checkpoints: [Int], expected: Fingerprint) async throws(VerifyError) -> [ScenarioResult] {
        guard !checkpoints.isEmpty else { return [] }
        let carried = try await server.createEmpty("carried")
        var results: [ScenarioResult] = []
        for position in checkpoints {
            let started = ContinuousClock.now
            let building = try await runRobot(catalogue.prefix(position), mode: .apply, on: carried, scenario: "building checkpoint \(position)")
            let copy = try await server.copy(carried, as: "at_\(position)")
            let result = try await upgrade(copy, from: checkpointName(position), building: building, expected: expected, started: started)
            try await server.drop(copy)
            results.append(result)
        }
        try await server.drop(carried)
        return results
    }

    private func upgrade(
        _ database: String, from name: String, building: RunReport, expected: Fingerprint, started: ContinuousClock.Instant
    ) async throws(VerifyError) -> ScenarioResult {
        var notes = Self.failures(in: building).map { "while building the checkpoint: \($0)" }
        if options.withData { notes += try await insertSampleRows(database) }
        let report = try await runRobot(catalogue, mode: .apply, on: database, scenario: "upgrade from \(name)")
        let differences = Difference.between(
            expected.entries(includingData: !options.withData), try await capture(database).entries(includingData: !options.withData),
            actualLabel: "upgraded from \(name)", mentions: mentions
        )
        return finish(ScenarioResult(
            kind: .upgradePath, title: "upgrade from \(name)\(options.withData ? " with sample rows" : "")", passed: true,
            durationSeconds: 0, stepFailures: Self.failures(in: report), differences: differences, notes: notes
        ), started: started)
    }

    private func upgradeFromOlderCatalogue(_ older: Catalogue, label: String, expected: Fingerprint) async throws(VerifyError) -> ScenarioResult {
        let started = ContinuousClock.now
        let database = try await server.createEmpty("older")
        let building = try await runRobot(older, mode: .apply, on: database, scenario: "building \(label)")
        let result = try await upgrade(database, from: label, building: building, expected: expected, started: started)
        try await server.drop(database)
        var scenario = result
        scenario.kind = .upgradeFromOlderCatalogue
        return scenario
    }

    /// `v1.1 (step 5)` for a tag's last step, `step 7` otherwise.
    private func checkpointName(_ position: Int) -> String {
        let step = catalogue.steps[position - 1]
        let nextTag = position < catalogue.steps.count ? catalogue.steps[position].versionTag : nil
        if let tag = step.versionTag, nextTag != tag { return "\(tag) (step \(position))" }
        return "step \(position)"
    }

    /// Sets `passed` (no failed step, no difference) and the duration, and reports progress.
    private func finish(_ result: ScenarioResult, started: ContinuousClock.Instant) -> ScenarioResult {
        var finished = result
        finished.passed = result.stepFailures.isEmpty && result.differences.isEmpty
        finished.durationSeconds = (ContinuousClock.now - started).seconds
        progress(finished)
        return finished
    }

    private func runRobot(_ catalogue: Catalogue, mode: Plan.Mode, on database: String, scenario: String) async throws(VerifyError) -> RunReport {
        var configuration = options.robotConfiguration
        configuration.mode = mode
        configuration.isDryRun = false
        do {
            return try await Robot(catalogue: catalogue, configuration: configuration).run(on: await server.settings(database), logger: logger)
        } catch {
            if case .criticalStepFailed(let report) = error { return report }
            throw .robot(scenario: scenario, error)
        }
    }

    private func capture(_ database: String) async throws(VerifyError) -> Fingerprint {
        try await withSession(database, operation: "read the fingerprint of") { session throws(DatabaseError) in
            try await Fingerprint.capture(session, ledgerSchema: options.robotConfiguration.ledgerSchema)
        }
    }

    private func insertSampleRows(_ database: String) async throws(VerifyError) -> [String] {
        try await withSession(database, operation: "insert sample rows into") { session throws(DatabaseError) in
            try await SampleRows(filter: SchemaFilter(ledgerSchema: options.robotConfiguration.ledgerSchema.name)).insert(session)
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
