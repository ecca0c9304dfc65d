/// One step of a catalogue: a piece of idempotent SQL with a descriptive name.
///
/// Steps are declared in order and only ever appended. A step's SQL may hold any number of
/// statements — `DO $$ … $$` blocks, function bodies, comments — and every statement must be
/// safe to run twice (`CREATE … IF NOT EXISTS`, `INSERT … ON CONFLICT DO NOTHING`, guarded
/// `ALTER TABLE`).
///
/// ```swift
/// let steps: [Step] = [
///     // 1. Create tenants table (v1.0 Update)
///     Step("Create tenants table (v1.0 Update)", critical: true, sql: """
///         CREATE TABLE IF NOT EXISTS tenants (id bigserial PRIMARY KEY, store_name text NOT NULL);
///         """),
///     // 2. Add owner email to tenants (v1.1 Update)
///     Step("Add owner email to tenants (v1.1 Update)", sql: """
///         ALTER TABLE tenants ADD COLUMN IF NOT EXISTS owner_email text;
///         """),
/// ]
/// ```
public struct Step: Sendable, Hashable {
    /// A stable identifier, recorded in the ledger. Defaults to the step's zero-padded position
    /// (`0007`) for Swift steps and to the file name without `.sql` for step files.
    public var id: String?
    /// What the step does, in the house convention `Descriptive name (vX.Y Update)`.
    public var name: String
    /// The step's SQL: one or more statements.
    public var sql: String
    /// When a critical step fails, the run stops and the service must not start.
    public var isCritical: Bool
    /// Whether the step runs inside a transaction. Turn it off only for statements PostgreSQL
    /// refuses inside a transaction block, such as `CREATE INDEX CONCURRENTLY` or `VACUUM`.
    ///
    /// - warning: A step outside a transaction is not atomic: if one of its statements fails,
    ///   the statements before it stay applied. Keep such a step to a single statement.
    public var runsInTransaction: Bool
    /// Where the step was declared, for error messages.
    public var origin: StepOrigin

    /// Declares a step.
    /// - Parameters:
    ///   - name: what the step does, e.g. `Add owner email to tenants (v1.1 Update)`.
    ///   - id: a stable identifier; by default the step's zero-padded position.
    ///   - critical: stop the run (and the boot) when this step fails.
    ///   - transaction: `false` for statements PostgreSQL refuses inside a transaction block.
    ///   - sql: the step's statements.
    public init(
        _ name: String,
        id: String? = nil,
        critical: Bool = false,
        transaction: Bool = true,
        sql: String,
        fileID: StaticString = #fileID,
        line: UInt = #line
    ) {
        self.init(
            name, id: id, critical: critical, transaction: transaction, sql: sql,
            origin: .swift(fileID: "\(fileID)", line: Int(line))
        )
    }

    /// Declares a step whose origin is already known (a step file, a test fixture).
    public init(_ name: String, id: String?, critical: Bool, transaction: Bool, sql: String, origin: StepOrigin) {
        self.id = id
        self.name = name
        self.sql = sql
        self.isCritical = critical
        self.runsInTransaction = transaction
        self.origin = origin
    }
}

/// Where a step was declared.
public enum StepOrigin: Sendable, Hashable, CustomStringConvertible {
    /// A `Step(…)` in Swift source.
    case swift(fileID: String, line: Int)
    /// A `NNNN_slug.sql` step file.
    case file(path: String)

    /// The path that positions inside the step's SQL are reported against.
    public var path: String {
        switch self {
        case .swift(let fileID, _): fileID
        case .file(let path): path
        }
    }

    public var description: String {
        switch self {
        case .swift(let fileID, let line): "\(fileID):\(line)"
        case .file(let path): path
        }
    }
}
