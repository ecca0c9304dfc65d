import Foundation
import MaintenanceRobot

/// The `seed data` entries of a fingerprint: per table its row count and an md5 of its rows over the columns
/// whose values do not depend on when or where the rows were made.
///
/// Left out of the hash: columns with a default that calls `now()`, `clock_timestamp()`, `CURRENT_TIMESTAMP`
/// and friends, `gen_random_uuid()`, `uuid_generate_v*()`, `random()` or `nextval()` (serial ids); identity
/// columns; and, transitively, columns whose foreign key points at a column left out (a `tenant_id` holds a
/// serial id). Partitions are counted through their partitioned table.
package struct SeedDataHasher {
    let filter: SchemaFilter

    package init(filter: SchemaFilter) {
        self.filter = filter
    }

    /// Default expressions whose value differs from one database (or one moment) to the next.
    static let volatileDefaultMarkers = [
        "now()", "clock_timestamp()", "statement_timestamp()", "transaction_timestamp()", "current_timestamp",
        "current_date", "current_time", "localtime", "gen_random_uuid()", "uuid_generate_v", "random()", "nextval(",
        "txid_current", "pg_current_xact_id",
    ]

    package struct Column: Sendable {
        package let name: String
        package let isVolatile: Bool
    }

    package struct Table: Sendable {
        package let oid: Int
        package let displayName: String
        package let sqlName: String
        package var columns: [Column]
    }

    /// One round trip for all tables: a `UNION ALL` of each table's count and digest.
    func entries(_ session: DatabaseSession) async throws(DatabaseError) -> [Fingerprint.Entry] {
        let tables = try await stableColumns(session)
        guard !tables.isEmpty else { return [] }
        let query = tables.enumerated().map { index, table in
            """
            SELECT \(index) AS table_index, count(*) AS row_count, md5(coalesce(string_agg(r, E'\\n' ORDER BY r), '')) AS digest
            FROM (SELECT \(Self.rowExpression(table)) AS r FROM \(table.sqlName)) AS rows_as_text
            """
        }.joined(separator: "\nUNION ALL\n")
        var entries: [Fingerprint.Entry] = []
        for row in try await session.execute(query) {
            guard let index = row.int("table_index"), tables.indices.contains(index) else { continue }
            entries.append(Self.entry(for: tables[index], rowCount: row.int("row_count") ?? 0, digest: row.string("digest") ?? "?"))
        }
        return entries
    }

    /// `ROW(stable columns…)::text`, or `''` when every column is volatile (then only the count tells).
    private static func rowExpression(_ table: Table) -> String {
        let compared = table.columns.filter { !$0.isVolatile }.map(\.name)
        return compared.isEmpty ? "''" : "ROW(\(compared.map(quoteIdentifier).joined(separator: ", ")))::text"
    }

    private static func entry(for table: Table, rowCount count: Int, digest: String) -> Fingerprint.Entry {
        let ignored = table.columns.filter(\.isVolatile).map(\.name)
        var value = "\(count) row\(count == 1 ? "" : "s")"
        if count > 0 && ignored.count < table.columns.count { value += ", md5 \(digest)" }
        if !ignored.isEmpty { value += " (ignoring \(ignored.joined(separator: ", ")))" }
        return Fingerprint.Entry(kind: "seed data", name: table.displayName, value: value)
    }

    /// Every covered table with its columns, volatile ones marked.
    package func stableColumns(_ session: DatabaseSession) async throws(DatabaseError) -> [Table] {
        let rows = try await session.execute("""
            SELECT c.oid::int8 AS table_oid, \(FingerprintQueries.qualified("n", "c.relname")) AS display_name,
                   quote_ident(n.nspname) || '.' || quote_ident(c.relname) AS sql_name, a.attname AS column_name,
                   lower(coalesce(pg_get_expr(d.adbin, d.adrelid), '')) AS default_expression, a.attidentity <> '' AS is_identity
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
            LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
            WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition AND \(filter.covers("n"))
              AND \(filter.notFromExtension("c.oid", catalog: "pg_class"))
            ORDER BY c.oid, a.attnum
            """)
        var tables: [Int: Table] = [:]
        var order: [Int] = []
        for row in rows {
            guard let oid = row.int("table_oid"), let column = row.string("column_name") else { continue }
            if tables[oid] == nil {
                order.append(oid)
                tables[oid] = Table(oid: oid, displayName: row.string("display_name") ?? "?", sqlName: row.string("sql_name") ?? "?", columns: [])
            }
            let defaultExpression = row.string("default_expression") ?? ""
            let isVolatile = row.bool("is_identity") == true || Self.volatileDefaultMarkers.contains { defaultExpression.contains($0) }
            tables[oid]?.columns.append(Column(name: column, isVolatile: isVolatile))
        }
        try await markForeignKeysToVolatileColumns(&tables, session)
        return order.compactMap { tables[$0] }
    }

    /// A column that references a volatile column holds a volatile value too; repeated until nothing changes.
    private func markForeignKeysToVolatileColumns(_ tables: inout [Int: Table], _ session: DatabaseSession) async throws(DatabaseError) {
        let references = try await session.execute("""
            SELECT con.conrelid::int8 AS table_oid, a.attname AS column_name, con.confrelid::int8 AS referenced_oid, fa.attname AS referenced_column
            FROM pg_constraint con CROSS JOIN LATERAL unnest(con.conkey, con.confkey) AS k(col, refcol)
            JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.col
            JOIN pg_attribute fa ON fa.attrelid = con.confrelid AND fa.attnum = k.refcol
            WHERE con.contype = 'f'
            """)
        var changed = true
        while changed {
            changed = false
            for reference in references {
                guard let oid = reference.int("table_oid"), let referencedOID = reference.int("referenced_oid"),
                      let referenced = tables[referencedOID],
                      referenced.columns.contains(where: { $0.name == reference.string("referenced_column") && $0.isVolatile }),
                      var table = tables[oid],
                      let index = table.columns.firstIndex(where: { $0.name == reference.string("column_name") && !$0.isVolatile })
                else { continue }
                table.columns[index] = Column(name: table.columns[index].name, isVolatile: true)
                tables[oid] = table
                changed = true
            }
        }
    }
}

/// `name` double-quoted for SQL, inner quotes doubled.
package func quoteIdentifier(_ name: String) -> String {
    "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
}
