import MaintenanceRobot
import RobotVerify

/// Compares the fresh install's seed rows with the live rows of the same keys: a missing row is inserted by the
/// repair (`ON CONFLICT DO NOTHING`); a row whose values differ is reported and left as it is. The live table's
/// other rows are the application's and are never looked at.
struct SeedComparison {
    let seeds: [SeedTable]
    let live: SchemaDetails
    let facts: LiveFacts
    let mentions: ObjectMentions

    static let dataDiffers = "the row differs from the catalogue's and is left as it is (it may have been changed on purpose); UPDATE it in a step of your own if the catalogue's values should win"

    func differences(planning planner: inout RepairPlanner) -> [DriftDifference] {
        var differences: [DriftDifference] = []
        for (tableIndex, seed) in seeds.enumerated() {
            // A table that exists but was not compared (not readable, key column missing) is in the notes instead.
            let liveRows: [[String]: [String: String?]]
            if live.relations[seed.table] == nil {
                liveRows = [:]
            } else if let read = facts.seedRows[seed.table] {
                liveRows = read
            } else {
                continue
            }
            for (rowIndex, row) in seed.rows.enumerated() {
                if let liveRow = liveRows[row.key(seed)] {
                    differences += changed(seed, row, liveRow).map { [$0] } ?? []
                } else {
                    differences.append(missing(seed, row, order: tableIndex * 1_000_000 + rowIndex, planning: &planner))
                }
            }
        }
        return differences
    }

    private func missing(_ seed: SeedTable, _ row: SeedTable.Row, order: Int, planning planner: inout RepairPlanner) -> DriftDifference {
        let name = seed.name(of: row)
        var difference = DriftDifference(
            difference: Difference(kind: "seed row", name: name, expected: SeedTable.assignments(seed.compared, row.values), actual: nil,
                                   actualLabel: "live", suspectSteps: suspects(seed, row)),
            table: seed.table, liveSummary: nil, repairs: [], notRepaired: nil
        )
        if let insert = seed.insert(row) {
            planner.add(.seedRow, order: order, repairs: "seed row \(name)", insert)
            difference.repairs = ["INSERT … ON CONFLICT (\(seed.key.map(\.sql).joined(separator: ", "))) DO NOTHING"]
        } else {
            difference.notRepaired = "it cannot be inserted: \(seed.insertProblem ?? "its values are unknown")"
        }
        return difference
    }

    private func changed(_ seed: SeedTable, _ row: SeedTable.Row, _ liveRow: [String: String?]) -> DriftDifference? {
        let differing = seed.compared.filter { column in
            guard let liveValue = liveRow[column.column] else { return false }
            return liveValue != (row.values[column.column] ?? nil)
        }
        guard !differing.isEmpty else { return nil }
        return DriftDifference(
            difference: Difference(kind: "seed row", name: seed.name(of: row), expected: SeedTable.assignments(differing, row.values),
                                   actual: SeedTable.assignments(differing, liveRow), actualLabel: "live", suspectSteps: suspects(seed, row)),
            table: seed.table, liveSummary: nil, repairs: [], notRepaired: Self.dataDiffers
        )
    }

    /// The steps that mention the table and every key value (`'tiktok'`), else the table alone.
    private func suspects(_ seed: SeedTable, _ row: SeedTable.Row) -> [String] {
        let table = Set(QualifiedName.parts(of: seed.table).map { $0.lowercased() })
        let withKey = mentions.steps(mentioningAll: table.union(row.key(seed).map { $0.lowercased() }))
        return withKey.isEmpty ? mentions.steps(mentioningAll: table) : withKey
    }
}
