import MaintenanceRobot

/// `--with-data`: generated rows in every table of a checkpoint's database (1,000 by default), so that a later
/// step that adds a NOT NULL column without a default, or a unique constraint, meets rows the way it would in
/// production, and holds its locks on tables with rows for as long as it takes to work through them.
///
/// Rows respect column types (by type category), NOT NULL, defaults (a column with a default, identity or
/// generated column is left to the server) and single-column foreign keys (a reference takes one of the
/// referenced table's values; tables are filled referenced-first). A table whose rows cannot be made
/// (a CHECK the generator cannot guess) is reported, not fatal. Every table filled is vacuumed and analysed, so
/// PostgreSQL counts its rows, and autovacuum has no work to start in the middle of the upgrade.
struct SampleRows {
    let filter: SchemaFilter
    /// Rows generated per table.
    let rowsPerTable: Int

    private struct Column {
        let name: String
        let typeName: String
        let category: String
        let leftToServer: Bool
    }

    private struct Table {
        let sqlName: String
        let displayName: String
        var columns: [Column] = []
        /// Column → the referenced table's SQL name and column.
        var references: [String: (table: String, column: String)] = [:]
    }

    /// Inserts the rows and returns a note for each table that could not take them.
    func insert(_ session: DatabaseSession) async throws(DatabaseError) -> [String] {
        var notes: [String] = []
        for table in try await tablesReferencedFirst(session) {
            do throws(DatabaseError) {
                try await session.execute(insertStatement(table))
                // As autovacuum leaves a production table: counted, and nothing left for it to do during the upgrade.
                try await session.execute("VACUUM (ANALYZE) \(table.sqlName)")
            } catch {
                notes.append("no sample rows for \(table.displayName): \(error.message)")
            }
        }
        return notes
    }

    private func insertStatement(_ table: Table) -> String {
        let filled = table.columns.filter { !$0.leftToServer }
        guard !filled.isEmpty else {
            return "INSERT INTO \(table.sqlName) SELECT FROM generate_series(1, \(rowsPerTable))"
        }
        var joins: [String] = []
        let values = filled.map { column -> String in
            guard let reference = table.references[column.name] else { return value(for: column, in: table) }
            if reference.table == table.sqlName { return "NULL" }
            // Row i takes the referenced table's (i mod count)-th value: a hash join, however many rows there are.
            let alias = "r\(joins.count)"
            let target = quoteIdentifier(reference.column)
            joins.append("""
                LEFT JOIN (SELECT \(target) AS v, row_number() OVER (ORDER BY \(target)) AS n FROM \(reference.table)) AS \(alias)
                    ON \(alias).n = 1 + (g.i - 1) % (SELECT greatest(count(*), 1) FROM \(reference.table))
                """)
            return "\(alias).v"
        }
        return """
            INSERT INTO \(table.sqlName) (\(filled.map { quoteIdentifier($0.name) }.joined(separator: ", ")))
            SELECT \(values.joined(separator: ", ")) FROM generate_series(1, \(rowsPerTable)) AS g(i)
            \(joins.joined(separator: "\n"))
            """
    }

    /// A SQL expression of row number `i` for the column.
    private func value(for column: Column, in table: Table) -> String {
        let type = column.typeName
        switch (column.category, type) {
        case (_, "uuid"): return "md5('\(table.sqlName)' || i)::uuid"
        case (_, "json"), (_, "jsonb"): return "'{}'::\(type)"
        case (_, "bytea"): return "decode(md5(i::text), 'hex')"
        case ("N", _): return "i::\(type)"
        case ("S", _): return "('s' || i)::\(type)"
        case ("B", _): return "(i % 2 = 0)"
        case ("D", _): return "(timestamp '2024-01-01' + interval '1 day' * i)::\(type)"
        case ("T", _): return "(interval '1 hour' * i)::\(type)"
        case ("E", _): return "(enum_range(NULL::\(type)))[1 + (i - 1) % cardinality(enum_range(NULL::\(type)))]"
        case ("A", _): return "'{}'::\(type)"
        case ("I", _): return "('10.0.0.' || i)::\(type)"
        default: return "NULL::\(type)"
        }
    }

    private func tablesReferencedFirst(_ session: DatabaseSession) async throws(DatabaseError) -> [Table] {
        var tables = try await readTables(session)
        for row in try await session.execute("""
            SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname) AS table_name, a.attname AS column_name,
                   quote_ident(fn.nspname) || '.' || quote_ident(fc.relname) AS referenced_table, fa.attname AS referenced_column
            FROM pg_constraint con
            JOIN pg_class c ON c.oid = con.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
            JOIN pg_class fc ON fc.oid = con.confrelid JOIN pg_namespace fn ON fn.oid = fc.relnamespace
            JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = con.conkey[1]
            JOIN pg_attribute fa ON fa.attrelid = con.confrelid AND fa.attnum = con.confkey[1]
            WHERE con.contype = 'f' AND cardinality(con.conkey) = 1
            """) {
            guard let table = row.string("table_name"), let column = row.string("column_name"),
                  let target = row.string("referenced_table"), let targetColumn = row.string("referenced_column"),
                  let index = tables.firstIndex(where: { $0.sqlName == table }) else { continue }
            tables[index].references[column] = (target, targetColumn)
        }
        return Self.referencedFirst(tables)
    }

    private func readTables(_ session: DatabaseSession) async throws(DatabaseError) -> [Table] {
        var tables: [Table] = []
        for row in try await session.execute("""
            SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname) AS sql_name,
                   \(FingerprintQueries.qualified("n", "c.relname")) AS display_name,
                   a.attname AS column_name, format_type(a.atttypid, a.atttypmod) AS type_name, t.typcategory::text AS category,
                   (d.adbin IS NOT NULL OR a.attidentity <> '' OR a.attgenerated <> '') AS left_to_server
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
            JOIN pg_type t ON t.oid = a.atttypid
            LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
            WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition AND \(filter.covers("n"))
              AND \(filter.notFromExtension("c.oid", catalog: "pg_class"))
            ORDER BY c.oid, a.attnum
            """) {
            guard let sqlName = row.string("sql_name"), let column = row.string("column_name") else { continue }
            if tables.last?.sqlName != sqlName {
                tables.append(Table(sqlName: sqlName, displayName: row.string("display_name") ?? sqlName))
            }
            tables[tables.count - 1].columns.append(Column(
                name: column, typeName: row.string("type_name") ?? "text", category: row.string("category") ?? "X",
                leftToServer: row.bool("left_to_server") == true
            ))
        }
        return tables
    }

    /// Tables ordered so that each comes after the tables it references (cycles keep their order).
    private static func referencedFirst(_ tables: [Table]) -> [Table] {
        var ordered: [Table] = []
        var placed = Set<String>()
        var remaining = tables
        let known = Set(tables.map(\.sqlName))
        while !remaining.isEmpty {
            let ready = remaining.filter { table in
                table.references.values.allSatisfy { placed.contains($0.table) || $0.table == table.sqlName || !known.contains($0.table) }
            }
            let next = ready.isEmpty ? [remaining[0]] : ready
            for table in next { placed.insert(table.sqlName) }
            ordered += next
            remaining.removeAll { table in next.contains { $0.sqlName == table.sqlName } }
        }
        return ordered
    }
}
