import Foundation
import MaintenanceRobot

/// What a fleet run did: one report per target, in the fleet's order, and a summary.
///
/// `robot run --tenant-schemas`/`--targets` renders it as text (``FleetTextRenderer``) or JSON (``jsonData()``).
public struct FleetReport: Sendable, Codable {
    /// How one target ended, failures first (the order of the text report's groups).
    public enum Outcome: String, Sendable, Hashable, Codable, CaseIterable {
        /// A critical step failed (or, with `--strict`, any step): the target's run stopped there.
        case stopped
        /// The target's run was refused before its steps: its ledger is newer or disagrees with the catalogue, its
        /// tenant schema does not exist, its ledger could not be written, or its session could not be put back.
        case failed
        /// The database could not be reached or refused the connection.
        case unreachable
        /// The connection broke during the run; committed steps stay.
        case connectionLost = "connection-lost"
        /// Another robot's lock, or another session's lock on a ledger table, was not obtained within its bound.
        case lockNotObtained = "lock-not-obtained"
        /// The fleet was cancelled while the target ran: it stopped before its next step.
        case cancelled
        /// The target was not started: the canary failed, `--fail-fast` stopped the fleet, or it was cancelled.
        case notRun = "not-run"
        /// Non-critical steps failed; the rest went on.
        case degraded
        /// Every step that ran succeeded, or there was nothing to do.
        case succeeded
        /// A dry run: nothing was changed.
        case planned

        /// Whether the target failed: a run that stopped, was refused, or could not connect or lock. Soft failures
        /// (`degraded`) do not count; with `--strict` they stop the run, so they do.
        public var isFailure: Bool {
            switch self {
            case .stopped, .failed, .unreachable, .connectionLost, .lockNotObtained: true
            case .cancelled, .notRun, .degraded, .succeeded, .planned: false
            }
        }

        init(_ outcome: RunReport.Outcome) {
            switch outcome {
            case .succeeded: self = .succeeded
            case .degraded: self = .degraded
            case .stopped: self = .stopped
            case .planned: self = .planned
            case .cancelled: self = .cancelled
            }
        }
    }

    /// Why targets were not started.
    public enum Stop: String, Sendable, Hashable, Codable {
        /// A canary target failed (or could not run), so the rest did not run.
        case canaryFailed = "canary-failed"
        /// `--fail-fast`: a target failed, so no new target started.
        case failFast = "fail-fast"
        /// The fleet was cancelled (SIGINT, SIGTERM).
        case cancelled
    }

    /// One target's part in the fleet run.
    public struct Target: Sendable, Codable {
        /// The database as a URL without its password.
        public var target: String
        /// The tenant schema, for schema-per-tenant.
        public var schema: String?
        /// The ledger schema the target's run uses (for a tenant schema, the tenant's own).
        public var ledgerSchema: String
        public var outcome: Outcome
        /// Why the target failed or did not run; `nil` when its run completed (its ``report`` says how).
        public var reason: String?
        /// The target's wall time, connecting included, in seconds; `nil` when it did not run.
        public var durationSeconds: Double?
        /// The target's run report, when its run got as far as planning.
        public var report: RunReport?
        /// The error that ended the run, for a caller that wants more than ``reason``; not in JSON.
        public var error: RobotError? = nil

        private enum CodingKeys: String, CodingKey {
            case target, schema, ledgerSchema, outcome, reason, durationSeconds, report
        }
    }

    /// The counts and the run's shape, first in the JSON.
    public struct Summary: Sendable, Codable {
        /// How many targets the fleet had (after sharding).
        public var targets: Int
        /// How many targets ended with each outcome (outcomes no target had are left out).
        public var outcomes: [String: Int]
        public var mode: RunReport.Mode
        /// How many targets ran at once, at most.
        public var parallelism: Int
        /// How many targets ran first as the canary.
        public var canary: Int
        /// This process's shard, `I/N`, when the fleet was sharded.
        public var shard: String?
        /// Why targets were not started, when some were not.
        public var stop: Stop?
        public var startedAt: Date
        /// The whole fleet's wall time, in seconds.
        public var durationSeconds: Double
    }

    public var summary: Summary
    /// Every target, in the fleet's order.
    public var targets: [Target]

    init(targets: [Target], mode: RunReport.Mode, schedule: FleetSchedule, shard: FleetShard?, stop: Stop?, startedAt: Date,
         duration: Duration) {
        self.targets = targets
        var outcomes: [String: Int] = [:]
        for target in targets { outcomes[target.outcome.rawValue, default: 0] += 1 }
        summary = Summary(
            targets: targets.count, outcomes: outcomes, mode: mode, parallelism: schedule.parallelism, canary: schedule.canary,
            shard: shard?.description, stop: stop, startedAt: startedAt, durationSeconds: duration / .seconds(1)
        )
    }

    /// How many targets ended with `outcome`.
    public func count(_ outcome: Outcome) -> Int {
        summary.outcomes[outcome.rawValue] ?? 0
    }

    /// The report as JSON, written the way every report of the robot is (sorted keys, ISO 8601 dates).
    public func jsonData() -> Data {
        ReportJSON.encode(self)
    }
}

extension FleetReport.Target {
    /// A target whose run returned its report.
    init(_ target: FleetTarget, ledgerSchema: LedgerSchema, report: RunReport, duration: Duration) {
        self.init(target: target, ledgerSchema: ledgerSchema, outcome: .init(report.outcome), reason: nil, duration: duration)
        self.report = report
    }

    /// A target whose run ended with `error`.
    init(_ target: FleetTarget, ledgerSchema: LedgerSchema, error: RobotError, duration: Duration) {
        self.init(target: target, ledgerSchema: ledgerSchema, outcome: Self.outcome(of: error), reason: error.description, duration: duration)
        switch error {
        case .criticalStepFailed(let report): self.report = report
        case .cancelled(let report): self.report = report
        default: break
        }
        self.error = error
    }

    /// A target that was not started, because of `stop`.
    init(_ target: FleetTarget, ledgerSchema: LedgerSchema, notRunBecause stop: FleetReport.Stop) {
        self.init(target: target, ledgerSchema: ledgerSchema, outcome: .notRun, reason: stop.reason, duration: nil)
    }

    private static func outcome(of error: RobotError) -> FleetReport.Outcome {
        switch error {
        case .criticalStepFailed: .stopped
        case .cancelled: .cancelled
        case .connection: .unreachable
        case .connectionLost: .connectionLost
        case .lockNotObtained: .lockNotObtained
        case .catalogue, .historyRewritten, .ledger, .sessionNotRestored, .ledgerTooNew, .invalidLedgerSchema, .invalidTenantSchema,
             .tenantSchemaNotFound, .transactionPooler, .needsDirectConnection:
            .failed
        }
    }

    private init(target: FleetTarget, ledgerSchema: LedgerSchema, outcome: FleetReport.Outcome, reason: String?, duration: Duration?) {
        self.target = target.connection.description
        self.schema = target.tenantSchema?.name
        self.ledgerSchema = ledgerSchema.name
        self.outcome = outcome
        self.reason = reason
        self.durationSeconds = duration.map { $0 / .seconds(1) }
    }
}

extension FleetReport.Stop {
    /// Why a target was not started, in words.
    public var reason: String {
        switch self {
        case .canaryFailed: "not started: a canary target failed"
        case .failFast: "not started: another target failed, and the fleet stops at the first failure"
        case .cancelled: "not started: the fleet was cancelled"
        }
    }
}
