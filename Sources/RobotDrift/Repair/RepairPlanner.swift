import MaintenanceRobot
import RobotVerify

/// The order repair statements run in: what later statements depend on comes first (a schema before its tables, a
/// sequence before the column whose default calls it, a function before the table whose default or check calls it,
/// a table before its constraints, a unique key before the seed rows inserted by it).
enum RepairPhase: Int, Comparable {
    case settings, schema, `extension`, type, sequence, function, table, column, sequenceOwnership, columnDefault, notNull
    case keyConstraint, checkConstraint, foreignKey, index, view, trigger, rowSecurity, policy, seedRow

    static func < (lhs: RepairPhase, rhs: RepairPhase) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// What the repair does about one difference.
struct RepairOutcome {
    var repairs: [String] = []
    var notRepaired: String?
    var liveSummary: String?

    static func refused(_ reason: String) -> RepairOutcome { RepairOutcome(notRepaired: reason) }
}

/// Turns differences into idempotent repair statements: what is missing live is added as the fresh install has it;
/// what exists live and differs, or exists only live, is left alone with the reason.
struct RepairPlanner {
    static let onlyLive = "only in the live database; nothing is dropped"
    static let differs = "it differs from the fresh install's; drift adds what is missing and changes nothing that exists"
    static let notWritten = "drift does not write this kind of object; create it as the catalogue's step does, in a step of your own"

    let expected: SchemaDetails
    let live: SchemaDetails
    let facts: LiveFacts
    /// Indexes of the fresh install that seed rows are inserted by: built in the transaction, before the rows.
    let seedKeyIndexes: Set<String>
    private(set) var statements: [(phase: RepairPhase, order: Int, statement: RepairSQL.Statement)] = []
    private(set) var concurrentIndexes: [(order: Int, statement: RepairSQL.Statement)] = []

    init(expected: SchemaDetails, live: SchemaDetails, facts: LiveFacts, seedKeyIndexes: Set<String>) {
        self.expected = expected
        self.live = live
        self.facts = facts
        self.seedKeyIndexes = seedKeyIndexes
    }

    /// Plans the repair of one schema difference.
    mutating func plan(_ difference: Difference) -> RepairOutcome {
        switch (difference.expected, difference.actual) {
        case (nil, _): .refused(Self.onlyLive)
        case (_, nil): planMissing(difference.kind, difference.name)
        default: planChanged(difference.kind, difference.name)
        }
    }

    /// Adds a statement to the transactional step.
    mutating func add(_ phase: RepairPhase, order: Int, repairs: String, _ sql: String) {
        statements.append((phase, order, RepairSQL.Statement(repairs: repairs, sql: sql)))
    }

    mutating func addConcurrentIndex(order: Int, repairs: String, _ sql: String) {
        concurrentIndexes.append((order, RepairSQL.Statement(repairs: repairs, sql: sql)))
    }

    /// The statements in the order they must run, and the concurrent indexes.
    func repair(notRepaired: [String]) -> RepairSQL {
        var statements = statements
        if statements.contains(where: { $0.phase == .function }) {
            // As pg_dump restores them: a function's body is checked when it is called, so a LANGUAGE sql function
            // may come before the tables it reads, and a table's default may call it.
            statements.append((.settings, 0, RepairSQL.Statement(
                repairs: "function bodies are checked when called, not when created", sql: "SET LOCAL check_function_bodies = off;"
            )))
        }
        let ordered = statements.enumerated().sorted { lhs, rhs in
            (lhs.element.phase.rawValue, lhs.element.order, lhs.offset) < (rhs.element.phase.rawValue, rhs.element.order, rhs.offset)
        }
        return RepairSQL(
            statements: ordered.map(\.element.statement),
            concurrentIndexes: concurrentIndexes.sorted { $0.order < $1.order }.map(\.statement),
            notRepaired: notRepaired
        )
    }

    private mutating func planMissing(_ kind: String, _ name: String) -> RepairOutcome {
        switch kind {
        case "schema": return createSchema(name)
        case "extension": return createExtension(name)
        case "table", "view", "materialized view", "partitioned table", "foreign table": return createRelation(name)
        case "sequence": return createSequence(name)
        case "column": return addColumn(name)
        case "constraint": return addConstraint(name)
        case "index": return createIndex(name)
        case "function", "procedure": return createFunction(name)
        case "trigger": return createTrigger(name)
        case "enum": return createEnum(name)
        case "policy": return createPolicy(name)
        default: return .refused(Self.notWritten)
        }
    }

    private mutating func planChanged(_ kind: String, _ name: String) -> RepairOutcome {
        switch kind {
        case "column": return changeColumn(name)
        case "constraint": return validateConstraint(name)
        case "index":
            guard let index = live.indexes[name], !index.isValid, index.definition == expected.indexes[name]?.definition else {
                return .refused(Self.differs)
            }
            return .refused("the live index is INVALID (an interrupted CREATE INDEX CONCURRENTLY); drop it with DROP INDEX CONCURRENTLY IF EXISTS and run drift again to rebuild it")
        case "table": return enableRowSecurity(name)
        case "enum": return addEnumLabels(name)
        case "function", "procedure", "view", "materialized view":
            return .refused("its definition differs from the fresh install's; replacing it could undo a deliberate change: if the catalogue's should win, replace it (CREATE OR REPLACE) in a step of your own")
        default: return .refused(Self.differs)
        }
    }
}
