import RobotSQL

/// An index PostgreSQL marks INVALID: left by a `CREATE INDEX CONCURRENTLY` (or `REINDEX … CONCURRENTLY`) that did
/// not finish. Writes keep maintaining it and no query uses it; `IF NOT EXISTS` takes it for done.
public struct InvalidIndex: Sendable, Hashable, Codable, CustomStringConvertible {
    public var schema: String
    public var name: String
    /// Its table, schema-qualified.
    public var table: String
    /// The step that builds an index of this name, when the catalogue has one: `step 4 "Index tenants by email"`.
    public var step: String?

    /// `INVALID index public.tenants_email_idx on public.tenants`
    public var description: String { "INVALID index \(schema).\(name) on \(table)" }

    /// Every INVALID index of the database, outside PostgreSQL's own schemas, with the step of `catalogue` that
    /// builds each one, if any.
    package static func read(on session: DatabaseSession, catalogue: Catalogue? = nil) async throws(DatabaseError) -> [InvalidIndex] {
        let builders = catalogue.map(Self.builders) ?? [:]
        return try await session.execute("""
            SELECT n.nspname AS schema, c.relname AS name, pg_catalog.format('%I.%I', tn.nspname, t.relname) AS table_name
            FROM pg_catalog.pg_index AS i
            JOIN pg_catalog.pg_class AS c ON c.oid = i.indexrelid JOIN pg_catalog.pg_namespace AS n ON n.oid = c.relnamespace
            JOIN pg_catalog.pg_class AS t ON t.oid = i.indrelid JOIN pg_catalog.pg_namespace AS tn ON tn.oid = t.relnamespace
            WHERE NOT i.indisvalid AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_toast'
            ORDER BY 1, 2
            """).compactMap { row in
            guard let schema = row.string("schema"), let name = row.string("name"), let table = row.string("table_name") else { return nil }
            return InvalidIndex(schema: schema, name: name, table: table, step: builders[name])
        }
    }

    /// The label of the step that builds each index concurrently, by index name as PostgreSQL stores it.
    private static func builders(of catalogue: Catalogue) -> [String: String] {
        var builders: [String: String] = [:]
        for step in catalogue.steps {
            for (index, statement) in step.statements.enumerated() {
                guard let build = ConcurrentIndexRepair.build(TokenView(statement.tokens), statement: index) else { continue }
                builders[build.storedName] = step.label
            }
        }
        return builders
    }
}
