import Foundation
import MaintenanceRobot

/// What `robot verify` proved: one result per scenario run.
public struct VerificationReport: Sendable, Hashable, Codable {
    /// The catalogue verified: its source and step count.
    public var catalogueSource: String
    public var stepCount: Int
    /// Where the scratch databases were made (a URL without password, or `throwaway cluster`).
    public var target: String
    /// The name prefix of this run's scratch databases, `verify_<run>_`: all dropped when the run ended.
    public var scratchDatabasePrefix: String
    /// The step positions the upgrade paths started from.
    public var checkpoints: [Int]
    public var scenarios: [ScenarioResult]
    /// The whole verification's wall time, in seconds.
    public var durationSeconds: Double
    /// Things worth knowing about the verification as a whole (no version tags, so no upgrade paths).
    public var notes: [String]
    /// With sample rows: the steps that would block traffic on a live database, each once. Warnings: they do not
    /// make the verification fail (`robot verify --strict-locks` does).
    public var blockingSteps: [BlockingStep] = []
    /// The ``VerifyOptions/blockThreshold`` the blocking steps were judged by, in milliseconds.
    public var blockThresholdMilliseconds: Int?

    /// Every scenario passed.
    public var isProven: Bool { scenarios.allSatisfy(\.passed) }

    /// The report as pretty-printed JSON with sorted keys.
    public func jsonData() -> Data {
        ReportJSON.encode(self)
    }
}

/// How one scenario went.
public struct ScenarioResult: Sendable, Hashable, Codable {
    /// Which scenario this was.
    public enum Kind: String, Sendable, Hashable, Codable {
        case freshInstall = "fresh-install"
        case idempotency
        case upgradePath = "upgrade-path"
        case upgradeFromOlderCatalogue = "upgrade-from-older-catalogue"
    }

    public var kind: Kind
    /// `fresh install`, `upgrade from v1.1 (step 5)` …
    public var title: String
    public var passed: Bool
    public var durationSeconds: Double
    /// Steps that failed (soft failures included): `step 3 "Seed" failed: ERROR 23505 …`.
    public var stepFailures: [String]
    /// Objects whose fingerprint differs from the fresh install's.
    public var differences: [Difference]
    /// Things worth knowing that did not fail the scenario (sample rows a table could not take).
    public var notes: [String]
    /// INVALID indexes the scenario left: concurrent builds that did not finish. They fail the scenario.
    public var invalidIndexes: [InvalidIndex] = []
    /// With sample rows, for an upgrade: each step that ran on a table with rows, and the locks it held there.
    public var locks: [StepLockReport] = []
}

/// Renders a ``VerificationReport`` as text.
public enum VerificationTextRenderer {
    /// `✓ fresh install (12 steps) 0.41s` and, for a failed scenario, its failures and differences.
    public static func progressLine(_ result: ScenarioResult) -> String {
        let mark = result.passed ? "ok  " : "FAIL"
        var lines = ["\(mark) \(result.title) (\(formatSeconds(result.durationSeconds)))"]
        for failure in result.stepFailures { lines.append("     " + failure.replacingOccurrences(of: "\n", with: "\n       ")) }
        for difference in result.differences {
            lines.append("     \(difference)")
            if !difference.suspectSteps.isEmpty {
                lines.append("       should come from: \(difference.suspectSteps.joined(separator: ", "))")
            }
        }
        for index in result.invalidIndexes { lines.append("     \(index): a concurrent build that did not finish") }
        for note in result.notes { lines.append("     note: \(note)") }
        if !result.locks.isEmpty { lines.append("     locks on tables with rows:") }
        for report in result.locks { lines.append("       " + report.summary) }
        return lines.joined(separator: "\n")
    }

    /// The section "would block traffic on a live database", or nothing when no step would.
    public static func blockingSection(_ report: VerificationReport) -> String? {
        guard !report.blockingSteps.isEmpty else { return nil }
        let threshold = report.blockThresholdMilliseconds.map { "\($0) ms" } ?? "the threshold"
        var lines = ["would block traffic on a live database (SHARE or stronger held over \(threshold) on a table with rows, or a rewrite of one):"]
        for step in report.blockingSteps {
            let rule = step.rule.map { " [\($0)]" } ?? ""
            lines.append("  \(step.location): step \(step.position) \"\(step.name)\": \(StepLockReport.describe(step.lock))\(rule)")
            lines.append("    in: \(step.scenarios.joined(separator: "; "))")
            lines.append("    safer: \(step.saferForm)")
        }
        return lines.joined(separator: "\n")
    }

    /// The closing summary.
    public static func summary(_ report: VerificationReport) -> String {
        let failed = report.scenarios.filter { !$0.passed }.count
        let verdict = failed == 0
            ? "proven: \(report.scenarios.count) scenario\(report.scenarios.count == 1 ? "" : "s") passed"
            : "NOT proven: \(failed) of \(report.scenarios.count) scenarios failed"
        let notes = report.notes.map { "note: \($0)\n" }.joined()
        let blocking = blockingSection(report).map { $0 + "\n" } ?? ""
        return notes + blocking + "\(verdict) for \(report.stepCount) steps of \(report.catalogueSource) in \(formatSeconds(report.durationSeconds))"
    }
}

/// `0.41s`, `12.3s`
func formatSeconds(_ seconds: Double) -> String {
    seconds < 10 ? String(format: "%.2fs", seconds) : String(format: "%.1fs", seconds)
}
