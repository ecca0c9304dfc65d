/// Renders a ``RunReport`` for people: a line per step, failures with their location, then totals.
public enum TextReportRenderer {
    /// The report as text: a line per step that ran, with the lock it held that live traffic would have waited
    /// for (SHARE or stronger, or a rewrite, on a relation that was there and held rows). `verbose` also lists
    /// skipped steps one by one, and every lock each step held.
    public static func render(_ report: RunReport, verbose: Bool = false) -> String {
        var lines = ["robot \(report.mode.rawValue) on \(report.target) (ledger schema \(report.ledgerSchema))"]
        if report.adoptedDatabase && report.mode != .dryRun {
            lines.append("  no ledger found: every step runs once (a new database, or one prepared before the robot)")
        }
        if let wait = report.lockWaitSeconds {
            lines.append("  waited \(format(seconds: wait)) for another robot to finish")
        }
        let skipped = report.steps.filter { $0.status == .skipped }
        for step in report.steps where verbose || step.status != .skipped {
            lines += render(step, verbose: verbose)
        }
        if !verbose && !skipped.isEmpty && skipped.count != report.steps.count {
            lines.append("  \(skipped.count) step\(skipped.count == 1 ? "" : "s") already applied, skipped")
        }
        for warning in report.warnings {
            lines.append("  warning: \(warning)")
        }
        lines.append(summary(report))
        return lines.joined(separator: "\n")
    }

    /// `3 applied, 12 skipped, 1 failed in 0.21 s — degraded`
    public static func summary(_ report: RunReport) -> String {
        let counts = StepOutcome.Status.allCases.compactMap { status -> String? in
            let count = report.count(status)
            return count == 0 ? nil : "\(count) \(status.rawValue)"
        }
        let totals = counts.isEmpty ? "no steps" : counts.joined(separator: ", ")
        return "\(totals) in \(format(seconds: report.durationSeconds)) — \(report.outcome.rawValue)"
    }

    private static func render(_ step: StepOutcome, verbose: Bool) -> [String] {
        let status = step.status.rawValue.padding(toLength: 8, withPad: " ", startingAt: 0)
        var line = "  \(status) \(step.id)  \(step.name)"
        if step.isCritical { line += "  [critical]" }
        if let reason = step.reason, step.status != .skipped { line += "  (\(reason))" }
        if let milliseconds = step.durationMilliseconds { line += "  \(milliseconds) ms" }
        var lines = [line]
        if let failure = step.failure {
            lines += failure.description.split(separator: "\n").map { "           " + $0 }
        }
        for notice in step.notices {
            lines.append("           \(notice.severity.lowercased()): \(notice.message)")
        }
        return lines + TextLockRenderer.lines(step.locks, verbose: verbose)
    }

    static func format(seconds: Double) -> String {
        seconds < 10 ? "\((seconds * 1000).rounded() / 1000) s" : "\((seconds * 10).rounded() / 10) s"
    }
}
