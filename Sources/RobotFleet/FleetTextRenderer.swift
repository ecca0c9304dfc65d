import MaintenanceRobot

/// Renders fleet reports for people: targets grouped by outcome, failures first, then totals.
public enum FleetTextRenderer {
    /// The report as text. Failed, degraded and cancelled targets are listed one by one with why; the others are
    /// counted, and listed too when `verbose`. `describe` words a target's error (the command adds its options).
    public static func render(_ report: FleetReport, verbose: Bool = false, describe: (RobotError) -> String = \.description) -> String {
        let summary = report.summary
        var heading = "robot \(summary.mode.rawValue) on \(count(summary.targets, "target"))"
        if let shard = summary.shard { heading += " (shard \(shard))" }
        heading += ", \(summary.parallelism) at a time"
        if summary.canary > 0 { heading += ", the first \(summary.canary) as the canary" }
        var lines = [heading]
        for outcome in FleetReport.Outcome.allCases {
            let group = report.targets.filter { $0.outcome == outcome }
            guard !group.isEmpty else { continue }
            let stop = outcome == .notRun ? summary.stop.map { " — \($0.reason)" } ?? "" : ""
            lines.append("\(outcome.rawValue) (\(group.count))\(stop)")
            guard verbose || outcome.isListed else { continue }
            for target in group {
                lines.append("  " + label(target))
                lines += details(target, describe: describe).flatMap { $0.split(separator: "\n") }.map { "      " + $0 }
            }
        }
        lines.append(totals(report))
        return lines.joined(separator: "\n")
    }

    /// `40 targets: 1 stopped, 39 succeeded; steps: 195 applied, 1 failed, 4 not-run in 3.2 s`
    public static func totals(_ report: FleetReport) -> String {
        let outcomes = FleetReport.Outcome.allCases.filter { report.count($0) > 0 }.map { "\(report.count($0)) \($0.rawValue)" }
        let reports = report.targets.compactMap(\.report)
        let steps = StepOutcome.Status.allCases.compactMap { status -> String? in
            let total = reports.reduce(0) { $0 + $1.count(status) }
            return total == 0 ? nil : "\(total) \(status.rawValue)"
        }
        var text = "\(count(report.summary.targets, "target"))"
        if !outcomes.isEmpty { text += ": " + outcomes.joined(separator: ", ") }
        if !steps.isEmpty { text += "; steps: " + steps.joined(separator: ", ") }
        return text + " in \(seconds(report.summary.durationSeconds))"
    }

    /// One line for a target that finished, for a log: `3 applied, 17 skipped in 0.05 s — succeeded — done 12/40`, or
    /// `unreachable: Could not connect … — done 13/40`.
    public static func finished(_ progress: FleetProgress) -> String {
        let target = progress.target
        let how = switch target.outcome {
        case .succeeded, .degraded, .planned: target.report.map { TextReportRenderer.summary($0) } ?? target.outcome.rawValue
        default: "\(target.outcome.rawValue): \((target.reason ?? "").split(separator: "\n").first ?? "")"
        }
        return "\(how) — done \(progress.finished)/\(progress.total)"
    }

    /// The live line: `12/40 done, 1 failed, 28 left · 8.1 targets/s · about 4 s left`.
    public static func progressLine(_ progress: FleetProgress) -> String {
        var line = "\(progress.finished)/\(progress.total) done, \(progress.failed) failed, \(progress.left) left"
        line += " · \((progress.rate * 10).rounded() / 10) targets/s"
        if let left = progress.estimatedTimeLeft, progress.left > 0 { line += " · about \(seconds(left / .seconds(1))) left" }
        return line
    }

    /// The status of every target: those not up to date one by one, with their counts or why they could not be read.
    public static func render(_ status: FleetStatus) -> String {
        var lines = ["status of \(count(status.targets.count, "target"))"]
        for target in status.targets where !target.isUpToDate {
            let label = FleetTarget.label(url: target.target, schema: target.schema)
            if let steps = target.status {
                lines.append("  behind  \(label): \(counts(steps))")
                lines += steps.conflicts.map { "      conflict: \($0)" }
            } else {
                lines.append("  \(target.problem?.rawValue ?? "unknown")  \(label)")
                lines += (target.reason ?? "").split(separator: "\n").map { "      " + $0 }
            }
        }
        let upToDate = status.targets.count { $0.isUpToDate }
        let behind = status.targets.count { $0.status != nil && !$0.isUpToDate }
        let unread = status.targets.count - upToDate - behind
        lines.append("\(upToDate) up to date, \(behind) behind, \(unread) not read")
        return lines.joined(separator: "\n")
    }

    /// The target as a targets file line writes it: its URL (no password), then `schema=NAME`.
    public static func label(_ target: FleetReport.Target) -> String {
        FleetTarget.label(url: target.target, schema: target.schema)
    }

    private static func details(_ target: FleetReport.Target, describe: (RobotError) -> String) -> [String] {
        switch target.outcome {
        case .degraded:
            let failed = target.report?.failedSteps ?? []
            return failed.map { "step \($0.position) \"\($0.name)\" failed: \($0.failure?.description ?? "see the JSON report")" }
        case .succeeded, .planned, .cancelled:
            return target.report.map { [TextReportRenderer.summary($0)] } ?? []
        case .notRun:
            return []
        case .stopped, .failed, .unreachable, .connectionLost, .lockNotObtained:
            return [target.error.map(describe) ?? target.reason ?? target.outcome.rawValue]
        }
    }

    private static func counts(_ status: CatalogueStatus) -> String {
        [CatalogueStatus.State.applied, .pending, .failed, .changed].compactMap { state in
            status.count(state) == 0 ? nil : "\(status.count(state)) \(state.rawValue)"
        }.joined(separator: ", ")
    }

    private static func count(_ number: Int, _ noun: String) -> String {
        "\(number) \(noun)\(number == 1 ? "" : "s")"
    }

    private static func seconds(_ value: Double) -> String {
        value < 10 ? "\((value * 100).rounded() / 100) s" : "\(value.rounded()) s"
    }
}

extension FleetReport.Outcome {
    /// Whether the text report lists each target of this outcome without `verbose`: those that need a look.
    var isListed: Bool {
        isFailure || self == .degraded || self == .cancelled
    }
}
