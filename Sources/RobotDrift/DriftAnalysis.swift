import MaintenanceRobot
import RobotVerify

/// The comparison of the fresh install with the live database: the differences, grouped by table, each with what
/// the repair does about it, and the notes that put them in context.
struct DriftAnalysis {
    let catalogue: Catalogue
    let expected: ExpectedState
    let live: LiveState
    let ledgerSchema: LedgerSchema

    func report(liveTarget: String, duration: Duration) -> DriftReport {
        let mentions = ObjectMentions(catalogue)
        var planner = RepairPlanner(expected: expected.details, live: live.details, facts: live.facts, seedKeyIndexes: seedKeyIndexes)
        var differences = Difference.between(expected.entries, live.entries, actualLabel: "live", mentions: mentions).map { difference in
            let outcome = planner.plan(difference)
            return DriftDifference(
                difference: withSuspects(difference, mentions), table: table(of: difference), liveSummary: outcome.liveSummary,
                repairs: outcome.repairs, notRepaired: outcome.notRepaired
            )
        }
        differences += SeedComparison(seeds: expected.seeds, live: live.details, facts: live.facts, mentions: mentions)
            .differences(planning: &planner)
        let groups = Self.grouped(differences)
        let notRepaired = groups.flatMap(\.differences).compactMap { drift in
            drift.notRepaired.map { "\(drift.difference.kind) \(drift.difference.name): \($0)" }
        }
        return DriftReport(
            catalogueSource: catalogue.source, stepCount: catalogue.steps.count, live: liveTarget, freshInstall: expected.location,
            groups: groups, repair: planner.repair(notRepaired: notRepaired),
            notes: ledgerNotes + expected.notes + live.facts.seedNotes, durationSeconds: duration / .seconds(1)
        )
    }

    /// Indexes of the fresh install whose columns are a seed table's key.
    private var seedKeyIndexes: Set<String> {
        Set(expected.details.indexes.values.filter { index in
            expected.seeds.contains { $0.table == index.table && Set($0.key.map(\.column)) == Set(index.columns) }
        }.map(\.name))
    }

    private func table(of difference: Difference) -> String? {
        expected.details.table(of: difference.kind, difference.name) ?? live.details.table(of: difference.kind, difference.name)
    }

    /// A constraint, index or serial sequence whose name no step writes (`tickets_owner_id_fkey`, `tickets_id_seq`) is
    /// traced by its table and columns.
    private func withSuspects(_ difference: Difference, _ mentions: ObjectMentions) -> Difference {
        guard difference.suspectSteps.isEmpty else { return difference }
        var parts: [String]
        switch difference.kind {
        case "constraint":
            guard let constraint = expected.details.constraints[difference.name] ?? live.details.constraints[difference.name],
                  let table = constraint.table else { return difference }
            parts = QualifiedName.parts(of: table) + constraint.columns + (constraint.referencedTable.map(QualifiedName.parts) ?? [])
        case "index":
            guard let index = expected.details.indexes[difference.name] ?? live.details.indexes[difference.name] else { return difference }
            parts = QualifiedName.parts(of: index.table) + index.columns
        case "sequence":
            guard let column = (expected.details.relations[difference.name] ?? live.details.relations[difference.name])?.ownerColumn else {
                return difference
            }
            parts = QualifiedName.parts(of: column)
        default:
            return difference
        }
        var traced = difference
        traced.suspectSteps = mentions.steps(mentioningAll: Set(parts.map { $0.lowercased() }))
        return traced
    }

    /// One group per table, sorted by table; objects of no table last.
    static func grouped(_ differences: [DriftDifference]) -> [DriftGroup] {
        let byTable = Dictionary(grouping: differences, by: \.table)
        return byTable.keys.sorted { ($0 == nil ? 1 : 0, $0 ?? "") < ($1 == nil ? 1 : 0, $1 ?? "") }.map { table in
            DriftGroup(table: table, differences: byTable[table] ?? [])
        }
    }

    /// What the live ledger says: steps not applied explain differences that are not drift.
    private var ledgerNotes: [String] {
        switch live.ledger {
        case .missing:
            return ["the live database has no ledger in schema \(ledgerSchema.name): the robot has not run there (or keeps its ledger in another schema), so differences may be steps that never ran"]
        case .unreadable:
            return ["the live ledger (schema \(ledgerSchema.name)) may not be read by this role, so steps not applied there cannot be told from drift"]
        case .recorded(let rows):
            let pending = catalogue.steps.compactMap { step -> String? in
                guard let row = rows[step.id] else { return "\(step.label) (not applied)" }
                if row.status != "applied" { return "\(step.label) (\(row.status))" }
                return row.checksum == step.checksum ? nil : "\(step.label) (changed since applied)"
            }
            guard !pending.isEmpty else { return [] }
            return ["the live ledger does not record \(pending.count) step\(pending.count == 1 ? "" : "s") as applied: \(pending.joined(separator: ", ")); what they would do is not drift: run them first (robot run)"]
        }
    }
}
