import MaintenanceRobot

extension LiveFactReader {
    /// The live rows whose key is one of the seed rows' keys, in batches: `WHERE (key…) IN ((…), …)`, typed as the
    /// fresh install's key columns when the live ones have those types (so an index on the key serves), as text otherwise.
    func readSeedRows(_ seed: SeedTable, into facts: inout LiveFacts, _ session: DatabaseSession) async throws(DatabaseError) {
        let liveColumns = Dictionary(live.columns(of: seed.table).map { ($0.column, $0) }, uniquingKeysWith: { first, _ in first })
        if let missing = seed.key.first(where: { liveColumns[$0.column] == nil }) {
            facts.seedNotes.append("the seed rows of \(seed.table) are not compared: its key column \(missing.sql) is missing in the live database")
            return
        }
        guard let tableSQL = live.relations[seed.table]?.sql else { return }
        let compared = seed.compared.filter { liveColumns[$0.column] != nil }
        let typed = seed.key.map { liveColumns[$0.column]?.type == $0.type }
        let keyExpressions = zip(seed.key, typed).map { column, isTyped in isTyped ? column.sql : "\(column.sql)::text" }
        let selections = seed.key.enumerated().map { "\($1.sql)::text AS k\($0)" } + compared.enumerated().map { "\($1.sql)::text AS v\($0)" }
        var found: [[String]: [String: String?]] = [:]
        for start in stride(from: 0, to: seed.rows.count, by: Self.seedBatch) {
            let keys = seed.rows[start..<min(start + Self.seedBatch, seed.rows.count)].map { row in
                let literals = zip(seed.key, typed).map { column, isTyped in
                    RepairText.literal(row.values[column.column] ?? nil) + (isTyped ? "::\(column.type)" : "")
                }
                return "(\(literals.joined(separator: ", ")))"
            }
            let rows = try await session.execute("""
                SELECT \(selections.joined(separator: ", ")) FROM \(tableSQL)
                WHERE (\(keyExpressions.joined(separator: ", "))) IN (\(keys.joined(separator: ", ")))
                """)
            for row in rows {
                let key = seed.key.indices.map { row.string("k\($0)") ?? "" }
                var values: [String: String?] = [:]
                for (index, column) in compared.enumerated() { values[column.column] = row.string("v\(index)") }
                found[key] = values
            }
        }
        facts.seedRows[seed.table] = found
    }
}
