import Foundation
import MaintenanceRobot
import RobotVerify

extension SeedReader {
    /// Where an inserted column's value comes from.
    private enum Source {
        /// The row's own value (alias `v<n>` in the query).
        case value(alias: String, column: String)
        /// Another seed row's column, found by that row's key (alias `r<n>` holds the key's values as JSON): a serial
        /// id differs between databases, the referenced row's key does not.
        case reference(alias: String, Reference)
    }

    private struct Reference {
        let tableSQL: String
        let columnSQL: String
        let key: [SeedColumn]

        /// `(SELECT id FROM public.oauth_providers WHERE (slug) = ('google'::text))`
        func lookup(_ keyValues: [String?]) -> String {
            let literals = zip(key, keyValues).map { column, value in "\(RepairText.literal(value))::\(column.type)" }
            return "(SELECT \(columnSQL) FROM \(tableSQL) WHERE (\(key.map(\.sql).joined(separator: ", "))) = (\(literals.joined(separator: ", "))))"
        }
    }

    /// The rows of `table` with the values to compare and to insert.
    func rows(
        of table: SeedDataHasher.Table, key: [SeedColumn], keys: [String: [SeedColumn]], _ session: DatabaseSession
    ) async throws(DatabaseError) -> SeedTable {
        let volatile = Set(table.columns.filter(\.isVolatile).map(\.name))
        var compared: [SeedColumn] = []
        var inserted: [(column: SeedColumn, source: Source)] = []
        var selections: [String] = []
        var insertProblem: String?
        for column in details.columns(of: table.displayName) {
            let seed = SeedColumn(column: column.column, sql: column.columnSQL, type: column.type)
            if !volatile.contains(column.column) {
                let alias = "v\(compared.count)"
                selections.append("t.\(column.columnSQL)::text AS \(alias)")
                compared.append(seed)
                if column.generatedExpression == nil { inserted.append((seed, .value(alias: alias, column: column.column))) }
            } else if let reference = reference(from: column, keys: keys) {
                let alias = "r\(inserted.count)"
                let keyText = reference.key.map { "r.\($0.sql)::text" }.joined(separator: ", ")
                selections.append("(SELECT json_build_array(\(keyText))::text FROM \(reference.tableSQL) AS r WHERE r.\(reference.columnSQL) = t.\(column.columnSQL)) AS \(alias)")
                inserted.append((seed, .reference(alias: alias, reference)))
            } else if column.isNotNull && !column.fillsExistingRows {
                insertProblem = "its column \(column.columnSQL) holds a value that differs between databases and has no default"
            }
        }
        let result = try await session.execute("SELECT \(selections.joined(separator: ", ")) FROM \(table.sqlName) AS t")
        let rows = result.compactMap { row in
            self.row(row, compared: compared, key: key, inserted: inserted, insertable: insertProblem == nil)
        }
        return SeedTable(
            table: table.displayName, tableSQL: table.sqlName, key: key, compared: compared, inserted: inserted.map(\.column),
            rows: rows, insertProblem: insertProblem
        )
    }

    private func row(
        _ row: SessionRow, compared: [SeedColumn], key: [SeedColumn], inserted: [(column: SeedColumn, source: Source)], insertable: Bool
    ) -> SeedTable.Row? {
        var values: [String: String?] = [:]
        for (index, column) in compared.enumerated() { values[column.column] = row.string("v\(index)") }
        guard key.allSatisfy({ (values[$0.column] ?? nil) != nil }) else { return nil }
        let insertValues = inserted.map { _, source in
            switch source {
            case .value(_, let column):
                return RepairText.literal(values[column] ?? nil)
            case .reference(let alias, let reference):
                guard let json = row.string(alias), let keyValues = try? JSONDecoder().decode([String?].self, from: Data(json.utf8)) else { return "NULL" }
                return reference.lookup(keyValues)
            }
        }
        return SeedTable.Row(values: values, insertValues: insertable ? insertValues : nil)
    }

    /// A single-column foreign key from `column` to a seed table with a key, whose referenced row a repair finds by that key.
    private func reference(from column: SchemaDetails.Column, keys: [String: [SeedColumn]]) -> Reference? {
        guard let foreignKey = details.constraints.values.first(where: { $0.type == "f" && $0.table == column.table && $0.columns == [column.column] }),
              let target = foreignKey.referencedTable, let targetKey = keys[target], foreignKey.referencedColumns.count == 1,
              let targetSQL = details.relations[target]?.sql,
              let targetColumn = details.columns(of: target).first(where: { $0.column == foreignKey.referencedColumns[0] })
        else { return nil }
        return Reference(tableSQL: targetSQL, columnSQL: targetColumn.columnSQL, key: targetKey)
    }
}
