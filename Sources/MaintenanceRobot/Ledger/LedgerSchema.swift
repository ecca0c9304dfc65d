/// The name of the schema that holds the robot's ledger, validated so it can be quoted safely.
public struct LedgerSchema: Sendable, Hashable, CustomStringConvertible {
    /// The default, `maintenance_robot`.
    public static let standard = LedgerSchema(validated: "maintenance_robot")

    /// The schema name as written.
    public let name: String

    /// Accepts a lowercase PostgreSQL identifier: a letter or `_`, then letters, digits or `_`,
    /// at most 63 characters, and not a `pg_` system name.
    public init(_ name: String) throws(RobotError) {
        let isValid = (1...63).contains(name.utf8.count)
            && name.first.map { $0 == "_" || ("a"..."z").contains($0) } == true
            && name.allSatisfy { $0 == "_" || ("a"..."z").contains($0) || ("0"..."9").contains($0) }
            && !name.hasPrefix("pg_")
        guard isValid else { throw RobotError.invalidLedgerSchema(name) }
        self.name = name
    }

    private init(validated name: String) { self.name = name }

    /// The schema name double-quoted for SQL.
    var quoted: String { "\"\(name)\"" }

    /// A table of the ledger, schema-qualified and quoted.
    func table(_ table: String) -> String { "\(quoted).\"\(table)\"" }

    public var description: String { name }
}
