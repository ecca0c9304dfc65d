import MaintenanceRobot

/// The lock a statement takes on a table that is already there, as PostgreSQL's documentation gives it (the lock
/// tables of "Explicit Locking" and of each command's page), and whether it rewrites the table.
///
/// The traced locks are the truth: a test runs every lock rule's bad fixture on a populated table and checks that
/// the run records this mode on this relation.
public struct LockEffect: Sendable, Hashable, Codable {
    /// The relation the statement names, as written (normalised, without `public.`).
    public var relation: String
    /// The mode taken on it, held until the step commits.
    public var mode: LockMode
    /// Whether the table's data is written anew: `nil` when it depends (`ALTER COLUMN … TYPE` to a binary-compatible
    /// type does not rewrite).
    public var rewritesTable: Bool?

    public init(relation: String, mode: LockMode, rewritesTable: Bool?) {
        self.relation = relation
        self.mode = mode
        self.rewritesTable = rewritesTable
    }

    /// `takes ACCESS EXCLUSIVE (AccessExclusiveLock)`
    var takes: String { "takes \(mode.sqlName) (\(mode.rawValue))" }

    /// What happens to traffic, and to the table's data.
    var consequence: String {
        let rewrite = switch rewritesTable {
        case true?: "it rewrites the table and its indexes"
        case false?: "it does not rewrite the table"
        case nil: "it rewrites the table and its indexes unless the new type is binary-compatible (varchar(n) to text or a longer varchar)"
        }
        return "\(mode.blocks); \(rewrite)"
    }
}
