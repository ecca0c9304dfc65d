import Logging
import MaintenanceRobot
import RobotLint

/// Proves on a real PostgreSQL that a catalogue installs cleanly, is idempotent, and that every upgrade path
/// ends where a fresh install does. What `robot verify` runs; a Swift test suite can run it on the steps
/// its server compiles in:
/// ```swift
/// let report = try await Verifier(steps: AppSteps.all).verify()
/// #expect(report.isProven, "\(report.scenarios.map(VerificationTextRenderer.progressLine))")
/// ```
///
/// Scenarios, each on its own scratch database: fresh install (zero failed steps, soft failures included),
/// idempotency (a heal run: zero failures and the same fingerprint), one upgrade path per checkpoint (the
/// database as it stood at the checkpoint, carried forward from checkpoint to checkpoint with
/// `CREATE DATABASE … TEMPLATE`, then the full catalogue) and, when given, the upgrade from an older catalogue.
public struct Verifier: Sendable {
    public let catalogue: Catalogue
    public var options: VerifyOptions

    /// A verifier for a loaded catalogue.
    public init(catalogue: Catalogue, options: VerifyOptions = .init()) {
        self.catalogue = catalogue
        self.options = options
    }

    /// A verifier for steps declared in Swift.
    /// - Throws: ``CatalogueError`` when a step is empty, unnamed, repeated or does not lex.
    public init(steps: [Step], options: VerifyOptions = .init()) throws(CatalogueError) {
        self.init(catalogue: try Catalogue(steps), options: options)
    }

    /// Runs every scenario and reports; `progress` hears each scenario's result as soon as it is known.
    ///
    /// Scratch databases are dropped (and the throwaway cluster stopped) before this returns or throws.
    /// - Throws: ``VerifyError`` when the verification could not be carried out; failed scenarios are in the report.
    public func verify(
        logger: Logger = Logger(label: "maintenance-robot.verify"),
        progress: @escaping @Sendable (ScenarioResult) -> Void = { _ in }
    ) async throws(VerifyError) -> VerificationReport {
        let checkpoints = try checkpointPositions()
        let started = ContinuousClock.now
        let server = try await ScratchServer.open(options.target, connectTimeout: options.robotConfiguration.connectTimeout, logger: logger)
        do throws(VerifyError) {
            let run = VerificationRun(catalogue: catalogue, options: options, server: server, logger: logger, progress: progress)
            let scenarios = try await run.all(checkpoints: checkpoints)
            await server.close()
            var report = VerificationReport(
                catalogueSource: catalogue.source, stepCount: catalogue.steps.count, target: targetDescription,
                scratchDatabasePrefix: server.prefix,
                checkpoints: checkpoints, scenarios: scenarios, durationSeconds: (ContinuousClock.now - started) / .seconds(1),
                notes: checkpoints.isEmpty && options.checkpoints == .versionTags
                    ? ["no step name carries a version tag such as (v1.2 Update), so no upgrade path was tried; choose the checkpoints: all, or a list of positions"]
                    : []
            )
            if options.withData {
                report.blockThresholdMilliseconds = Int(options.blockThreshold / .milliseconds(1))
                report.blockingSteps = BlockingStep.find(in: scenarios, catalogue: catalogue, threshold: options.blockThreshold,
                                                         lint: Linter(rules: Set(Rule.allCases.filter(\.namesALock))).lint(catalogue))
            }
            return report
        } catch {
            await server.close()
            throw error
        }
    }

    /// The step positions the upgrade-path scenario starts from, in order.
    /// - Throws: ``VerifyError/unknownCheckpoint(_:stepCount:tags:)`` for a name that is neither a position nor a tag.
    public func checkpointPositions() throws(VerifyError) -> [Int] {
        switch options.checkpoints {
        case .none: return []
        case .every: return Array(1...catalogue.steps.count)
        case .versionTags: return catalogue.versionTags.compactMap(lastPosition)
        case .list(let names):
            var positions = Set<Int>()
            for name in names {
                if let position = Int(name), (1...catalogue.steps.count).contains(position) {
                    positions.insert(position)
                } else if let tag = VersionTag(stepName: "(\(name))"), let position = lastPosition(of: tag) {
                    positions.insert(position)
                } else {
                    throw .unknownCheckpoint(name, stepCount: catalogue.steps.count, tags: catalogue.versionTags.map(\.description))
                }
            }
            return positions.sorted()
        }
    }

    private func lastPosition(of tag: VersionTag) -> Int? {
        catalogue.steps.last { $0.versionTag == tag }?.position
    }

    private var targetDescription: String {
        switch options.target {
        case .throwawayCluster: "throwaway cluster"
        case .server(let settings): settings.description
        }
    }
}
