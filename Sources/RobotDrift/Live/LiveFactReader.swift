import MaintenanceRobot
import RobotVerify

/// Reads the ``LiveFacts`` a repair needs, on the live session inside its read-only transaction: one privilege
/// check for every table involved, then NULL and row counts, bounded row counts and the seed rows by key.
struct LiveFactReader {
    let expected: SchemaDetails
    let seeds: [SeedTable]
    let live: SchemaDetails
    /// The row count from which a table's missing index is built CONCURRENTLY.
    let manyRows: Int
    /// Seed rows looked up per query.
    static let seedBatch = 500

    func read(_ session: DatabaseSession) async throws(DatabaseError) -> LiveFacts {
        var facts = LiveFacts()
        let nullColumns = columnsToCount()
        let counted = tablesToCount()
        let indexed = tablesGainingIndexes()
        let seeded = seeds.filter { live.relations[$0.table] != nil }
        let involved = Set(nullColumns.keys).union(counted).union(indexed).union(seeded.map(\.table))
        facts.unreadable = involved.subtracting(try await readableTables(involved, session))
        for table in Set(nullColumns.keys).union(counted).subtracting(facts.unreadable).sorted() {
            try await count(table, nullsIn: nullColumns[table] ?? [], into: &facts, session)
        }
        for table in indexed.subtracting(facts.unreadable).sorted() {
            facts.hasManyRows[table] = try await hasManyRows(table, session)
        }
        for seed in seeded where !facts.unreadable.contains(seed.table) {
            try await readSeedRows(seed, into: &facts, session)
        }
        facts.seedNotes += seeded.filter { facts.unreadable.contains($0.table) }.map {
            "the seed rows of \($0.table) are not compared: the role may not read the table (GRANT SELECT)"
        }
        return facts
    }

    /// Columns the fresh install has NOT NULL and the live table has nullable, per table.
    private func columnsToCount() -> [String: [SchemaDetails.Column]] {
        Dictionary(grouping: expected.columns.values.filter { column in
            guard column.isNotNull, let liveColumn = live.columns[column.name], live.relations[column.table]?.kind == "r" else { return false }
            return !liveColumn.isNotNull
        }, by: \.table)
    }

    /// Tables that exist live and lack a NOT NULL column that does not fill its rows.
    private func tablesToCount() -> Set<String> {
        Set(expected.columns.values.filter { column in
            column.isNotNull && !column.fillsExistingRows && live.columns[column.name] == nil && live.relations[column.table]?.kind == "r"
        }.map(\.table))
    }

    /// Tables that exist live and lack an index of their own (not a constraint's).
    private func tablesGainingIndexes() -> Set<String> {
        Set(expected.indexes.values.filter { index in
            !index.backsConstraint && live.indexes[index.name] == nil && live.relations[index.table] != nil
        }.map(\.table))
    }

    /// The tables the role may `SELECT` from, checked by object id: a name-based check would fail the transaction on
    /// a schema the role may not use.
    private func readableTables(_ tables: Set<String>, _ session: DatabaseSession) async throws(DatabaseError) -> Set<String> {
        let rows = tables.sorted().map { table in
            let parts = QualifiedName.parts(of: table)
            let schema = parts.count > 1 ? parts[0] : "public"
            return "(\(RepairText.literal(table)), \(RepairText.literal(schema)), \(RepairText.literal(parts[parts.count - 1])))"
        }
        guard !rows.isEmpty else { return [] }
        let readable = try await session.execute("""
            SELECT v.name FROM (VALUES \(rows.joined(separator: ", "))) AS v(name, schema_name, table_name)
            JOIN pg_catalog.pg_namespace n ON n.nspname = v.schema_name
            JOIN pg_catalog.pg_class c ON c.relnamespace = n.oid AND c.relname = v.table_name
            WHERE has_schema_privilege(n.oid, 'USAGE') AND has_table_privilege(c.oid, 'SELECT')
            """)
        return Set(readable.compactMap { $0.string("name") })
    }

    private func count(_ table: String, nullsIn columns: [SchemaDetails.Column], into facts: inout LiveFacts, _ session: DatabaseSession) async throws(DatabaseError) {
        guard let sql = live.relations[table]?.sql else { return }
        let nulls = columns.enumerated().map { "count(*) FILTER (WHERE \($1.columnSQL) IS NULL) AS n\($0)" }
        let row = try await session.execute("SELECT \((["count(*) AS total"] + nulls).joined(separator: ", ")) FROM \(sql)").first
        facts.rowCounts[table] = row?.int("total")
        for (index, column) in columns.enumerated() { facts.nullCounts[column.name] = row?.int("n\(index)") }
    }

    /// Reads at most ``manyRows`` rows, so a table of millions costs no more than the threshold.
    private func hasManyRows(_ table: String, _ session: DatabaseSession) async throws(DatabaseError) -> Bool {
        guard let sql = live.relations[table]?.sql else { return false }
        let rows = try await session.execute("SELECT count(*) AS n FROM (SELECT 1 FROM \(sql) LIMIT \(manyRows)) AS bounded").first?.int("n")
        return (rows ?? manyRows) >= manyRows
    }
}
