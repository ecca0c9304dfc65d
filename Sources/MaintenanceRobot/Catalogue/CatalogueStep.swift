import RobotSQL

/// A step as the catalogue validated it: its position, statements and checksum are known.
public struct CatalogueStep: Sendable, Hashable {
    /// The 1-based position in the catalogue.
    public let position: Int
    /// The stable identifier the ledger records.
    public let id: String
    /// What the step does.
    public let name: String
    /// The release the step belongs to, when its name carries a tag such as `(v1.2 Update)`.
    public let versionTag: VersionTag?
    /// When a critical step fails, the run stops.
    public let isCritical: Bool
    /// Whether the step runs inside a transaction.
    public let runsInTransaction: Bool
    /// Where the step was declared.
    public let origin: StepOrigin
    /// The step's SQL as written.
    public let sql: String
    /// The statements the runner sends one by one, with their positions in ``sql``.
    public let statements: [SQLStatement]
    /// A digest of the statements that ignores comments and formatting.
    public let checksum: String
    /// Whether a statement changes session state beyond the step's transaction (`SET` without `LOCAL`,
    /// `set_config(…, false)`, `RESET`, `SET ROLE` …): the runner then restores its session after the step.
    let changesSession: Bool
    /// Whether a statement sets `lock_timeout` or `statement_timeout` (or resets all settings): such a step needs
    /// the server's per-statement timers, so it runs statement by statement.
    let setsTimeouts: Bool

    /// Where a location inside the step's SQL is, for messages: `steps/0007_x.sql:3:5` for a step
    /// file, `Steps.swift:40 (SQL 3:5)` for a step declared in Swift.
    public func describe(_ location: SourceLocation) -> String {
        switch origin {
        case .file(let path): "\(path):\(location)"
        case .swift: "\(origin) (SQL \(location))"
        }
    }

    /// `step 7 "Add owner email (v1.1 Update)"`
    public var label: String { "step \(position) \"\(name)\"" }
}
