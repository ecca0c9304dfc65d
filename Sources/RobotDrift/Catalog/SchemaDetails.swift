import Foundation
import MaintenanceRobot
import RobotVerify

/// The objects of one database as structured facts, keyed by the names their fingerprint entries carry
/// (`tickets.priority`, `app.tickets_pkey`): what the repair SQL is written from on the fresh install, and what
/// the live database's objects are compared with. Catalog queries only.
struct SchemaDetails: Sendable {
    /// A table, view, materialized view, sequence or foreign table.
    struct Relation: Sendable {
        let name: String
        /// Schema-qualified, each part quoted as PostgreSQL's `quote_ident` does.
        let sql: String
        /// `pg_class.relkind`: `r`, `p`, `v`, `m`, `S`, `f`.
        let kind: String
        let isUnlogged: Bool
        let isPartition: Bool
        let hasRowSecurity: Bool
        let forcesRowSecurity: Bool
        /// The query of a view or materialized view, without its final semicolon.
        let query: String?
        /// A sequence's options: `AS bigint START WITH 1 INCREMENT BY 1 …`.
        let sequenceOptions: String?
        /// `a` for a serial column's sequence, `i` for an identity column's.
        let sequenceOwnership: String?
        /// The table (fingerprint name) and column (quoted, qualified) a sequence belongs to.
        let ownerTable: String?
        let ownerColumn: String?
        let order: Int
    }

    struct Column: Sendable {
        let name: String
        let table: String
        let tableSQL: String
        /// The column's name as stored, and quoted.
        let column: String
        let columnSQL: String
        let type: String
        let collation: String?
        let isNotNull: Bool
        let defaultExpression: String?
        let generatedExpression: String?
        /// `ALWAYS` or `BY DEFAULT` for an identity column.
        let identity: String?
        let order: Int

        /// Whether every existing row gets a value when the column is added.
        var fillsExistingRows: Bool { defaultExpression != nil || generatedExpression != nil || identity != nil }
    }

    struct Constraint: Sendable {
        let name: String
        /// `nil` for a domain constraint.
        let table: String?
        let tableSQL: String?
        let constraintName: String
        let constraintSQL: String
        /// `pg_constraint.contype`: `p`, `u`, `c`, `f`, `x`, `t`.
        let type: String
        let definition: String
        let isValidated: Bool
        let columns: [String]
        let referencedTable: String?
        let referencedColumns: [String]
        let order: Int
    }

    struct Index: Sendable {
        let name: String
        let table: String
        let definition: String
        let isValid: Bool
        let isUnique: Bool
        let isPrimary: Bool
        /// Key columns only, no expression and no predicate.
        let isPlain: Bool
        let columns: [String]
        /// Whether a primary key, unique or exclusion constraint owns it (and creates it).
        let backsConstraint: Bool
        let order: Int
    }

    struct Function: Sendable {
        let name: String
        let kind: String
        let language: String
        /// `CREATE OR REPLACE FUNCTION …` as `pg_get_functiondef` gives it; `nil` for aggregates.
        let definition: String?
        let order: Int
    }

    struct Trigger: Sendable {
        let name: String
        let table: String
        let tableSQL: String
        let triggerName: String
        let definition: String
        let order: Int
    }

    struct EnumType: Sendable {
        let name: String
        let sql: String
        let schemaName: String
        let typeName: String
        let labels: [String]
        let order: Int
    }

    struct Policy: Sendable {
        let name: String
        let table: String
        let tableSQL: String
        let policyName: String
        let policySQL: String
        let isPermissive: Bool
        let command: String
        let roles: String
        let usingExpression: String?
        let checkExpression: String?
        let order: Int
    }

    struct Extension: Sendable {
        let name: String
        let schemaSQL: String
    }

    var relations: [String: Relation] = [:]
    var columns: [String: Column] = [:]
    var constraints: [String: Constraint] = [:]
    var indexes: [String: Index] = [:]
    var functions: [String: Function] = [:]
    var triggers: [String: Trigger] = [:]
    var enums: [String: EnumType] = [:]
    var policies: [String: Policy] = [:]
    var schemas: Set<String> = []
    var extensions: [String: Extension] = [:]

    /// The columns of `table`, in their order.
    func columns(of table: String) -> [Column] {
        columns.values.filter { $0.table == table }.sorted { $0.order < $1.order }
    }

    /// The table an object belongs to, by the name its fingerprint entry carries; `nil` for schemas, functions, types.
    func table(of kind: String, _ name: String) -> String? {
        switch kind {
        case "table", "partitioned table", "foreign table", "view", "materialized view": name
        case "sequence": relations[name]?.ownerTable ?? name
        case "column": columns[name]?.table
        case "constraint": constraints[name]?.table
        case "index": indexes[name]?.table
        case "trigger": triggers[name]?.table
        case "policy": policies[name]?.table
        default: nil
        }
    }
}

extension SchemaDetails {
    /// Reads every fact of the database `session` is connected to, within the schemas `filter` covers.
    static func read(_ session: DatabaseSession, filter: SchemaFilter) async throws(DatabaseError) -> SchemaDetails {
        let queries = DetailQueries(filter: filter)
        var details = SchemaDetails()
        for row in try await session.execute(queries.relations) {
            guard let relation = Relation(row) else { continue }
            details.relations[relation.name] = relation
        }
        for row in try await session.execute(queries.columns) {
            guard let column = Column(row) else { continue }
            details.columns[column.name] = column
        }
        for row in try await session.execute(queries.constraints) {
            guard let constraint = Constraint(row) else { continue }
            details.constraints[constraint.name] = constraint
        }
        for row in try await session.execute(queries.indexes) {
            guard let index = Index(row) else { continue }
            details.indexes[index.name] = index
        }
        try await details.readRoutinesAndTypes(session, queries)
        return details
    }

    private mutating func readRoutinesAndTypes(_ session: DatabaseSession, _ queries: DetailQueries) async throws(DatabaseError) {
        for row in try await session.execute(queries.functions) {
            guard let function = Function(row) else { continue }
            functions[function.name] = function
        }
        for row in try await session.execute(queries.triggers) {
            guard let trigger = Trigger(row) else { continue }
            triggers[trigger.name] = trigger
        }
        for row in try await session.execute(queries.enums) {
            guard let type = EnumType(row) else { continue }
            enums[type.name] = type
        }
        for row in try await session.execute(queries.policies) {
            guard let policy = Policy(row) else { continue }
            policies[policy.name] = policy
        }
        for row in try await session.execute(queries.schemasAndExtensions) {
            guard let name = row.string("name") else { continue }
            if let schemaSQL = row.string("extension_schema") {
                extensions[name] = Extension(name: name, schemaSQL: schemaSQL)
            } else {
                schemas.insert(name)
            }
        }
    }
}

/// A JSON array of strings, as `json_agg(…)::text` writes it.
func stringArray(_ json: String?) -> [String] {
    guard let json else { return [] }
    return (try? JSONDecoder().decode([String].self, from: Data(json.utf8))) ?? []
}
