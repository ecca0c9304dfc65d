import RobotSQL

/// A rule broken at a place inside a step, before suppressions are applied.
struct Finding {
    let rule: Rule
    let message: String
    let location: SourceLocation
    /// The comments that may carry a `-- robot:allow` for it: the statement's leading comments.
    let comments: [SQLToken]
    /// The lock the statement takes on a live table, for the lock rules.
    var lock: LockEffect? = nil
}

/// How a column is declared, for comparing a CREATE TABLE with a later ADD COLUMN.
struct ColumnDefinition: Equatable {
    var type = ""
    var isNotNull = false
    var defaultValue: String?
    var references: String?
    /// A serial type or an identity or generated column: filled without a DEFAULT clause.
    var isFilledAutomatically = false

    /// What differs from `other`, in words: `type text vs. varchar ( 20 )`.
    func differences(from other: ColumnDefinition) -> [String] {
        var differences: [String] = []
        if type != other.type { differences.append("type \(other.type) vs. \(type)") }
        if isNotNull != other.isNotNull { differences.append(other.isNotNull ? "NOT NULL vs. nullable" : "nullable vs. NOT NULL") }
        if defaultValue != other.defaultValue {
            differences.append("DEFAULT \(other.defaultValue ?? "none") vs. \(defaultValue ?? "none")")
        }
        if references != other.references {
            differences.append("REFERENCES \(other.references ?? "none") vs. \(references ?? "none")")
        }
        return differences
    }
}

/// A column a statement declares: by CREATE TABLE, or by a guarded ADD COLUMN.
struct DeclaredColumn {
    let table: String
    let column: String
    let definition: ColumnDefinition
    let place: String
    let location: SourceLocation
    let comments: [SQLToken]
}

/// Reads a column definition (`bigint NOT NULL DEFAULT 0 REFERENCES t (id)`) from tokens.
enum ColumnDefinitionParser {
    private static let constraintWords: Set<String> = [
        "NOT", "NULL", "DEFAULT", "PRIMARY", "UNIQUE", "CHECK", "REFERENCES", "CONSTRAINT", "GENERATED", "COLLATE",
    ]
    private static let typeAliases: [String: String] = [
        "int": "integer", "int4": "integer", "serial": "integer", "serial4": "integer",
        "int8": "bigint", "bigserial": "bigint", "serial8": "bigint", "int2": "smallint", "smallserial": "smallint",
        "bool": "boolean", "timestamptz": "timestamp with time zone", "timetz": "time with time zone",
        "varchar": "character varying", "char": "character", "float8": "double precision", "float4": "real",
        "decimal": "numeric",
    ]

    /// The definition in `range` of `view` (the tokens after the column name).
    static func parse(_ view: TokenView, _ range: Range<Int>) -> ColumnDefinition {
        var definition = ColumnDefinition()
        // Where the clause after `start` ends: at the next constraint word, or the end of the definition.
        func nextClause(from start: Int) -> Int {
            let next = view.firstTopLevel(from: start) { $0.kind == .word && constraintWords.contains($0.value) }
            return min(next ?? range.upperBound, range.upperBound)
        }
        let typeEnd = nextClause(from: range.lowerBound)
        let type = view.normalisedText(range.lowerBound..<typeEnd)
        definition.type = normalisedType(type)
        definition.isFilledAutomatically = ["serial", "serial2", "serial4", "serial8"].contains(where: type.hasSuffix)
        var index = typeEnd
        while index < range.upperBound {
            let clauseEnd = nextClause(from: index + 1)
            if view.matches(index, "NOT", "NULL") || view.matches(index, "PRIMARY", "KEY") {
                definition.isNotNull = true
                index += 2
                continue
            }
            if view.isWord(index, "GENERATED") {
                definition.isFilledAutomatically = true
            } else if view.isWord(index, "DEFAULT") {
                definition.defaultValue = view.normalisedText(index + 1..<clauseEnd)
            } else if view.isWord(index, "REFERENCES") {
                definition.references = view.normalisedText(index + 1..<clauseEnd)
            }
            index = clauseEnd
        }
        return definition
    }

    private static func normalisedType(_ type: String) -> String {
        let words = type.split(separator: " ", maxSplits: 1)
        guard let first = words.first, let alias = typeAliases[String(first)] else { return type }
        return ([alias] + words.dropFirst().map(String.init)).joined(separator: " ")
    }
}
