import MaintenanceRobot

/// What a running service depends on in one database, read from pg_catalog: one entry per object.
///
/// Two databases built by different paths are "the same" when their fingerprints are equal. The schema part
/// covers schemas, tables, columns, constraints, indexes, sequences, views, materialized views, functions and
/// procedures, triggers, enum and composite types, domains, extensions, policies and grants; the data part
/// holds, per table, the row count and a hash of the rows over the columns that are not volatile. The
/// robot's ledger schema and PostgreSQL's own schemas are left out. docs/verify.md lists exactly what is compared.
public struct Fingerprint: Sendable, Hashable, Codable {
    /// One object: `column tenants.owner_email` → `text`.
    public struct Entry: Sendable, Hashable, Codable, Comparable {
        /// What the object is: `column`, `table`, `index`, `seed data` …
        public var kind: String
        /// Its name, schema-qualified unless the schema is `public`: `tenants.owner_email`.
        public var name: String
        /// Everything compared about it, as one line.
        public var value: String

        /// `column tenants.owner_email`
        public var key: String { "\(kind) \(name)" }

        public static func < (lhs: Entry, rhs: Entry) -> Bool {
            (lhs.name, lhs.kind) < (rhs.name, rhs.kind)
        }
    }

    /// The schema objects, sorted by name.
    public var schema: [Entry]
    /// One `seed data` entry per table: `3 rows, md5 …`.
    public var data: [Entry]

    /// The entries compared: the schema, and the data unless `includingData` is false.
    public func entries(includingData: Bool) -> [Entry] {
        includingData ? schema + data : schema
    }

    /// Reads the fingerprint of the database `session` is connected to, leaving out `ledgerSchema`.
    public static func capture(_ session: DatabaseSession, ledgerSchema: LedgerSchema) async throws(DatabaseError) -> Fingerprint {
        let filter = SchemaFilter(ledgerSchema: ledgerSchema.name)
        let schema = try await captureSchema(session, filter: filter)
        let data = try await SeedDataHasher(filter: filter).entries(session)
        return Fingerprint(schema: schema, data: data.sorted())
    }

    /// The schema entries alone, sorted: catalog queries only, no table is read.
    package static func captureSchema(_ session: DatabaseSession, filter: SchemaFilter) async throws(DatabaseError) -> [Entry] {
        var schema: [Entry] = []
        for query in FingerprintQueries.all(filter) {
            for row in try await session.execute(query.sql) {
                schema.append(Entry(kind: row.string("kind") ?? query.kind, name: row.string("name") ?? "?", value: row.string("value") ?? ""))
            }
        }
        return schema.sorted()
    }
}

/// Which schemas a fingerprint covers: all but PostgreSQL's own and the robot's ledger.
package struct SchemaFilter: Sendable {
    package let ledgerSchema: String
    /// Whether owners and grants are compared. Two databases of one server share their roles; a live database
    /// and a throwaway cluster do not, so `robot drift` leaves them out.
    package let comparesOwnership: Bool

    package init(ledgerSchema: String, comparesOwnership: Bool = true) {
        self.ledgerSchema = ledgerSchema
        self.comparesOwnership = comparesOwnership
    }

    /// `owner <role>` for the role id `role`, or NULL when owners are not compared.
    func owner(_ role: String) -> String {
        comparesOwnership ? "'owner ' || pg_get_userbyid(\(role))" : "NULL::text"
    }

    /// `grants <acl>` for the ACL column `acl` (NULL when it is the default), or NULL when grants are not compared.
    func grants(_ acl: String) -> String {
        comparesOwnership ? "'grants ' || \(acl)::text" : "NULL::text"
    }

    /// A condition on a `pg_namespace` alias.
    package func covers(_ namespace: String) -> String {
        """
        \(namespace).nspname NOT IN ('pg_catalog', 'information_schema', '\(ledgerSchema)') \
        AND \(namespace).nspname NOT LIKE 'pg\\_toast%' AND \(namespace).nspname NOT LIKE 'pg\\_temp\\_%'
        """
    }

    /// A condition that the object `oid` of catalog `catalog` is not a member of an extension.
    package func notFromExtension(_ oid: String, catalog: String) -> String {
        "NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = '\(catalog)'::regclass AND e.objid = \(oid) AND e.deptype = 'e')"
    }
}
