/// Renders a ``CatalogueStatus`` for people: a line per step, then totals.
public enum TextStatusRenderer {
    public static func render(_ status: CatalogueStatus) -> String {
        var lines = ["status of \(status.target) (ledger schema \(status.ledgerSchema))"]
        if !status.hasLedger { lines.append("  no ledger yet: the next run adopts the database by running every step once") }
        for step in status.steps {
            let state = step.state.rawValue.padding(toLength: 8, withPad: " ", startingAt: 0)
            var line = "  \(state) \(step.id)  \(step.name)"
            if let applied = step.firstAppliedAt, step.state != .pending { line += "  (applied \(applied))" }
            lines.append(line)
            if let error = step.error, step.state == .failed { lines.append("           last error: \(error)") }
            if step.state == .changed { lines.append("           edited after it was applied: the next run applies it again") }
        }
        for row in status.unknownSteps {
            lines.append("  unknown  \(row.id)  \(row.name)  (in the ledger, not in this catalogue: applied by a newer release)")
        }
        for conflict in status.conflicts { lines.append("  conflict: \(conflict)") }
        for index in status.invalidIndexes {
            lines.append("  \(index): a concurrent build that did not finish; writes maintain it, no query uses it")
            lines.append("           " + (index.step.map { "the next run of \($0) drops and rebuilds it (robot run --heal if it is applied)" }
                ?? "no step builds it: DROP INDEX CONCURRENTLY IF EXISTS it, then build it again"))
        }
        let counts = [CatalogueStatus.State.applied, .pending, .failed, .changed].compactMap { state -> String? in
            let count = status.count(state)
            return count == 0 ? nil : "\(count) \(state.rawValue)"
        }
        lines.append(counts.joined(separator: ", "))
        return lines.joined(separator: "\n")
    }
}
