import Foundation
import Logging
import MaintenanceRobot

/// Many targets — tenant schemas of one database, or databases of their own — brought up to date by one robot,
/// a bounded number at a time, each with its own ledger, lock and report.
///
/// ```swift
/// let targets = try await TenantSchemaQuery.targets(
///     "SELECT nspname FROM pg_namespace WHERE nspname LIKE 'tenant\\_%' ORDER BY 1",
///     on: .fromEnvironment(), configuration: robot.configuration, logger: logger)
/// let report = try await Fleet(targets).run(robot, schedule: FleetSchedule(parallelism: 8, canary: 2), logger: logger)
/// ```
/// Each target's run is ``Robot/run(on:logger:)``, on a connection to its database that an earlier target left
/// idle (reset with `DISCARD ALL` when that target ran steps) or on a new one; never more than
/// ``FleetSchedule/parallelism`` connections are open, and all are closed when the fleet ends. A target that fails
/// is reported and the others go on. Exactly-once holds per target through the target's own lock, so any number of
/// processes may run the same fleet, sharded (``sharded(_:)``) or not.
///
/// Cancelling the task stops the fleet: running targets stop before their next step, and no new target starts.
///
/// ## Topics
/// - ``init(_:)``, ``targets``, ``sharded(_:)``
/// - ``run(_:schedule:logger:progress:)``, ``FleetSchedule``, ``FleetReport``, ``FleetProgress``
/// - ``status(_:parallelism:logger:)``, ``FleetStatus``
/// - ``TenantSchemaQuery``, ``TargetsFile``, ``FleetTarget``, ``FleetShard``
public struct Fleet: Sendable {
    /// The targets, in the order they start.
    public private(set) var targets: [FleetTarget]
    /// The shard these targets were taken as, when sharded.
    public private(set) var shard: FleetShard?

    public init(_ targets: [FleetTarget]) {
        self.targets = targets
    }

    /// The fleet's share for `shard`: the targets whose stable hash falls in it, in the same order.
    public func sharded(_ shard: FleetShard) -> Fleet {
        var share = Fleet(targets.filter(shard.contains))
        share.shard = shard
        return share
    }

    /// Runs `robot` on every target and returns one report per target.
    ///
    /// The catalogue is loaded and lexed once. The first ``FleetSchedule/canary`` targets run first; unless every
    /// one of them completes (succeeded, planned, or degraded without `treatsEveryStepAsCritical`), the rest do not
    /// run.
    /// With ``FleetSchedule/failsFast``, no target starts after the first failure. `progress` is called after each
    /// target, one call at a time.
    ///
    /// - Throws: ``FleetError/robot(_:)`` with ``RobotError/catalogue(_:)`` when the catalogue is broken: nothing ran.
    public func run(
        _ robot: Robot, schedule: FleetSchedule = FleetSchedule(), logger: Logger = Logger(label: "maintenance-robot"),
        progress: (FleetProgress) -> Void = { _ in }
    ) async throws(FleetError) -> FleetReport {
        let sessions = SessionPool(limit: schedule.parallelism)
        let robot = try loaded(robot, sharing: sessions)
        let clock = ContinuousClock()
        let started = clock.now
        let startedAt = Date()
        let targets = targets
        var tracker = FleetProgress.Tracker(total: targets.count, started: started)
        var stop: FleetReport.Stop?
        var reports: [Int: FleetReport.Target] = [:]
        let phases = [0..<min(schedule.canary, targets.count), min(schedule.canary, targets.count)..<targets.count]
        for (number, phase) in phases.enumerated() where stop == nil {
            var failed = false
            let results = await FleetScheduler.run(phase, parallelism: schedule.parallelism) { index in
                await Self.run(robot, on: targets[index], logger: logger)
            } keepGoing: { _, report in
                progress(tracker.finished(report, at: clock.now))
                failed = failed || report.outcome.isFailure
                return !(failed && schedule.failsFast)
            }
            reports.merge(results) { $1 }
            stop = Self.stop(after: results, wasCanary: number == 0 && phase.count < targets.count, failedFast: failed && schedule.failsFast)
        }
        await sessions.closeAll()
        let all = targets.indices.map { index in
            reports[index] ?? FleetReport.Target(targets[index], ledgerSchema: ledgerSchema(of: targets[index], robot),
                                                 notRunBecause: stop ?? .cancelled)
        }
        return FleetReport(targets: all, mode: robot.configuration.reportMode, schedule: schedule, shard: shard, stop: stop,
                           startedAt: startedAt, duration: clock.now - started)
    }

    /// Each target's steps as its ledger records them, read `parallelism` targets at a time, on as many connections at
    /// most, which targets in one database share. Changes nothing.
    /// - Throws: ``FleetError/robot(_:)`` with ``RobotError/catalogue(_:)`` when the catalogue is broken.
    public func status(
        _ robot: Robot, parallelism: Int = FleetSchedule().parallelism, logger: Logger = Logger(label: "maintenance-robot")
    ) async throws(FleetError) -> FleetStatus {
        let sessions = SessionPool(limit: parallelism)
        let robot = try loaded(robot, sharing: sessions)
        let targets = targets
        let results = await FleetScheduler.run(targets.indices, parallelism: parallelism) { index in
            await Self.status(robot, of: targets[index], logger: logger)
        } keepGoing: { _, _ in true }
        await sessions.closeAll()
        return FleetStatus(targets: targets.indices.map { index in
            results[index] ?? FleetStatus.Target.notRead(targets[index], ledgerSchema: ledgerSchema(of: targets[index], robot))
        })
    }

    /// Why no more targets start after a phase (the canary, or the rest) ended with `results`; `nil` to go on.
    private static func stop(after results: [Int: FleetReport.Target], wasCanary: Bool, failedFast: Bool) -> FleetReport.Stop? {
        if Task.isCancelled { return .cancelled }
        if wasCanary && !results.values.allSatisfy(\.outcome.completes) { return .canaryFailed }
        return failedFast ? .failFast : nil
    }

    /// `robot` with its catalogue loaded and lexed, once for the whole fleet, and its runs taking their connections
    /// from `sessions`.
    private func loaded(_ robot: Robot, sharing sessions: SessionPool) throws(FleetError) -> Robot {
        var loaded: Robot
        do {
            loaded = Robot(catalogue: try robot.catalogue(), configuration: robot.configuration)
        } catch {
            throw .robot(.catalogue(error))
        }
        loaded.telemetry = robot.telemetry
        loaded.sessions = sessions
        return loaded
    }

    private func ledgerSchema(of target: FleetTarget, _ robot: Robot) -> LedgerSchema {
        target.configuration(from: robot.configuration).ledgerSchema
    }

    /// One target's run.
    private static func run(_ robot: Robot, on target: FleetTarget, logger: Logger) async -> FleetReport.Target {
        var robot = robot
        robot.configuration = target.configuration(from: robot.configuration)
        let clock = ContinuousClock()
        let started = clock.now
        do {
            let report = try await robot.run(on: target.connection, logger: logger.aimed(at: target))
            return FleetReport.Target(target, ledgerSchema: robot.configuration.ledgerSchema, report: report, duration: clock.now - started)
        } catch {
            return FleetReport.Target(target, ledgerSchema: robot.configuration.ledgerSchema, error: error, duration: clock.now - started)
        }
    }

    private static func status(_ robot: Robot, of target: FleetTarget, logger: Logger) async -> FleetStatus.Target {
        var robot = robot
        robot.configuration = target.configuration(from: robot.configuration)
        do {
            let status = try await robot.status(on: target.connection, logger: logger.aimed(at: target))
            return FleetStatus.Target(target, ledgerSchema: robot.configuration.ledgerSchema, status: status)
        } catch {
            return FleetStatus.Target(target, ledgerSchema: robot.configuration.ledgerSchema, error: error)
        }
    }
}

/// How a fleet runs its targets.
public struct FleetSchedule: Sendable, Hashable {
    /// How many targets run at once, each on a connection of its own: never more connections than this.
    public var parallelism: Int
    /// How many targets, the first in the fleet's order, run before the rest; 0 for none.
    public var canary: Int
    /// Whether to start no new target after the first failure (``FleetReport/Outcome/isFailure``).
    public var failsFast: Bool

    /// - Precondition: `parallelism >= 1` and `canary >= 0`.
    public init(parallelism: Int = 8, canary: Int = 0, failsFast: Bool = false) {
        precondition(parallelism >= 1 && canary >= 0, "a fleet runs at least one target at a time, and a canary of 0 or more")
        self.parallelism = parallelism
        self.canary = canary
        self.failsFast = failsFast
    }
}

extension FleetReport.Outcome {
    /// Whether the target's run completed, as a canary must for the rest to run.
    var completes: Bool {
        self == .succeeded || self == .degraded || self == .planned
    }
}

extension RobotConfiguration {
    /// The mode a run with this configuration reports.
    var reportMode: RunReport.Mode {
        isDryRun ? .dryRun : mode == .heal ? .heal : .apply
    }
}

extension Logger {
    /// This logger with the target in every message's metadata.
    func aimed(at target: FleetTarget) -> Logger {
        var logger = self
        logger[metadataKey: "robot.target"] = "\(target)"
        return logger
    }
}
