import Foundation

/// Renders a ``DriftReport`` as text: a line per difference in verify's format, grouped by table, with the steps
/// that should have produced it and what the repair does.
public enum DriftTextRenderer {
    public static func render(_ report: DriftReport) -> String {
        var lines = report.notes.map { "note: \($0)" }
        guard report.hasDrift else {
            lines.append("no drift: \(report.live) matches a fresh install of \(report.catalogueSource) (\(report.stepCount) steps) in \(seconds(report.durationSeconds))")
            return lines.joined(separator: "\n")
        }
        for group in report.groups {
            lines.append("")
            lines.append(group.table ?? "other objects")
            for difference in group.differences { lines += self.lines(difference) }
        }
        lines.append("")
        lines.append(summary(report))
        return lines.joined(separator: "\n")
    }

    /// The difference, where it should come from, and its repair.
    public static func lines(_ drift: DriftDifference) -> [String] {
        var lines = ["  \(drift)"]
        if !drift.difference.suspectSteps.isEmpty {
            lines.append("    should come from: \(drift.difference.suspectSteps.joined(separator: ", "))")
        }
        if !drift.repairs.isEmpty { lines.append("    repair: \(drift.repairs.joined(separator: "; "))") }
        if let reason = drift.notRepaired { lines.append("    not repaired: \(reason)") }
        return lines
    }

    private static func summary(_ report: DriftReport) -> String {
        let count = report.differences.count
        let tables = report.groups.filter { $0.table != nil }.count
        let repaired = report.differences.filter { !$0.repairs.isEmpty }.count
        let place = tables > 0 ? " in \(tables) table\(tables == 1 ? "" : "s")" : ""
        return "drift: \(count) difference\(count == 1 ? "" : "s")\(place) between \(report.live) and a fresh install of "
            + "\(report.catalogueSource) (\(report.stepCount) steps), \(seconds(report.durationSeconds)); "
            + (repaired == 0 ? "none can be repaired safely" : "the repair covers \(repaired) of them")
    }

    private static func seconds(_ value: Double) -> String {
        String(format: "%.2fs", value)
    }
}
