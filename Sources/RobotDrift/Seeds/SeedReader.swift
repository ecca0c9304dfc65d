import Foundation
import MaintenanceRobot
import RobotVerify

/// Reads the seed rows of a fresh install: every table that holds rows there, its key (preferring the columns the
/// catalogue's `ON CONFLICT` names, then the primary key, then any other unique key of stable columns) and its rows.
struct SeedReader {
    let filter: SchemaFilter
    let details: SchemaDetails
    let conflictTargets: [String: [[String]]]

    /// The seed tables, referenced tables first, and a note for each table whose rows cannot be found by a key.
    func read(_ session: DatabaseSession) async throws(DatabaseError) -> (tables: [SeedTable], notes: [String]) {
        let populated = try await tablesWithRows(session)
        var keys: [String: [SeedColumn]] = [:]
        var notes: [String] = []
        for table in populated {
            if let key = key(of: table) {
                keys[table.displayName] = key
            } else {
                notes.append("the seed rows of \(table.displayName) are not compared: it has no unique key of stable columns (serial ids and timestamps differ between databases) to find them by")
            }
        }
        var tables: [SeedTable] = []
        for table in populated {
            guard let key = keys[table.displayName] else { continue }
            tables.append(try await rows(of: table, key: key, keys: keys, session))
        }
        return (tables, notes)
    }

    /// The tables whose fresh install holds at least one row, in a referenced-first order.
    private func tablesWithRows(_ session: DatabaseSession) async throws(DatabaseError) -> [SeedDataHasher.Table] {
        let tables = try await SeedDataHasher(filter: filter).stableColumns(session)
        guard !tables.isEmpty else { return [] }
        let query = tables.enumerated().map { index, table in
            "SELECT \(index) AS table_index WHERE EXISTS (SELECT 1 FROM \(table.sqlName))"
        }.joined(separator: "\nUNION ALL\n")
        let populated = Set(try await session.execute(query).compactMap { $0.int("table_index") })
        return referencedFirst(tables.enumerated().filter { populated.contains($0.offset) }.map(\.element))
    }

    private func referencedFirst(_ tables: [SeedDataHasher.Table]) -> [SeedDataHasher.Table] {
        var ordered: [SeedDataHasher.Table] = []
        var remaining = tables
        while !remaining.isEmpty {
            let placed = Set(ordered.map(\.displayName))
            let waiting = Set(remaining.map(\.displayName))
            let ready = remaining.filter { table in
                references(of: table.displayName).allSatisfy { placed.contains($0) || !waiting.contains($0) || $0 == table.displayName }
            }
            let next = ready.isEmpty ? [remaining[0]] : ready
            ordered += next
            remaining.removeAll { table in next.contains { $0.displayName == table.displayName } }
        }
        return ordered
    }

    private func references(of table: String) -> [String] {
        details.constraints.values.filter { $0.type == "f" && $0.table == table }.compactMap(\.referencedTable)
    }

    /// The first unique key whose columns are all stable, in the order of preference.
    private func key(of table: SeedDataHasher.Table) -> [SeedColumn]? {
        let stable = Set(table.columns.filter { !$0.isVolatile }.map(\.name))
        let candidates = details.indexes.values
            .filter { $0.table == table.displayName && $0.isUnique && $0.isPlain && $0.isValid && !$0.columns.isEmpty }
            .filter { $0.columns.allSatisfy(stable.contains) }
        let named = conflictTargets[ConflictTargets.unquoted(table.displayName)] ?? []
        let best = candidates.min { rank($0, named) < rank($1, named) }
        return best.map { index in index.columns.compactMap { seedColumn(table.displayName, $0) } }
    }

    private func rank(_ index: SchemaDetails.Index, _ named: [[String]]) -> (Int, String) {
        if named.contains(where: { Set($0) == Set(index.columns) }) { return (0, index.name) }
        return (index.isPrimary ? 1 : 2, index.name)
    }

    func seedColumn(_ table: String, _ column: String) -> SeedColumn? {
        details.columns(of: table).first { $0.column == column }.map { SeedColumn(column: $0.column, sql: $0.columnSQL, type: $0.type) }
    }
}
