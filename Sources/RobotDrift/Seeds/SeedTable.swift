import MaintenanceRobot

/// A column of a seed table: its stored name, its quoted name and its type (`format_type`).
struct SeedColumn: Sendable, Hashable {
    let column: String
    let sql: String
    let type: String
}

/// The rows a fresh install of the catalogue holds in one table, found by a unique key of stable columns (not a
/// serial id): the catalogue's seed rows. The live database's other rows are the application's and never compared.
struct SeedTable: Sendable {
    /// One row of the fresh install.
    struct Row: Sendable {
        /// The text of each key and compared column, by column name; `nil` for NULL.
        let values: [String: String?]
        /// The SQL expressions to insert, one per ``SeedTable/inserted`` column; `nil` when the row cannot be inserted.
        let insertValues: [String]?

        func key(_ table: SeedTable) -> [String] {
            table.key.map { (values[$0.column] ?? nil) ?? "" }
        }
    }

    /// The fingerprint name of the table, and its quoted SQL name.
    let table: String
    let tableSQL: String
    let key: [SeedColumn]
    /// The columns whose values must match: every stable column, the key included.
    let compared: [SeedColumn]
    /// The columns a repair inserts: stable ones, and references to other seed rows by their key.
    let inserted: [SeedColumn]
    let rows: [Row]
    /// Why missing rows cannot be inserted, when a column holds a value that differs between databases and has no default.
    let insertProblem: String?

    /// `credential_types (internal_key = 'tiktok_client_key')`
    func name(of row: Row) -> String {
        "\(table) (\(SeedTable.assignments(key, row.values)))"
    }

    /// `slug = 'tiktok', display_name = 'TikTok'`
    static func assignments(_ columns: [SeedColumn], _ values: [String: String?]) -> String {
        columns.map { "\($0.sql) = \(RepairText.literal(values[$0.column] ?? nil))" }.joined(separator: ", ")
    }

    /// `INSERT INTO … VALUES (…) ON CONFLICT (key) DO NOTHING;`, or `nil` when the row cannot be inserted.
    func insert(_ row: Row) -> String? {
        guard let values = row.insertValues else { return nil }
        return """
            INSERT INTO \(tableSQL) (\(inserted.map(\.sql).joined(separator: ", "))) VALUES (\(values.joined(separator: ", "))) \
            ON CONFLICT (\(key.map(\.sql).joined(separator: ", "))) DO NOTHING;
            """
    }
}
