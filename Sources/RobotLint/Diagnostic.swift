import MaintenanceRobot
import RobotSQL

/// One finding of the linter: which rule, where, what is wrong and how to write it idempotently.
public struct Diagnostic: Sendable, Hashable, Codable {
    /// The rule's stable id, e.g. `create-without-if-not-exists`.
    public let ruleID: String
    /// Error or warning.
    public let severity: Severity
    /// What is wrong here, in one line.
    public let message: String
    /// The idempotent form to write instead.
    public let hint: String
    /// The file to open: the step file, the Swift file declaring the step, or the catalogue or lock file.
    public let file: String
    /// The 1-based line in ``file``: exact for step files, the `Step(…)` line for Swift steps.
    public let line: Int?
    /// The 1-based column in ``file``, when ``line`` is exact.
    public let column: Int?
    /// The step's id, for findings inside a step.
    public let stepID: String?
    /// The position inside the step's SQL (`line:column`), for findings inside a step.
    public let sqlLocation: String?
    /// For the rules about locks on live tables: the relation, the lock mode PostgreSQL takes on it, and whether
    /// the table is rewritten.
    public var lock: LockEffect?

    /// `steps/0007_x.sql:3:5` or `robot/Steps.swift:40 (SQL 3:5)`: where, as compilers print it.
    public var place: String {
        var place = file
        if let line { place += ":\(line)" }
        if let column { place += ":\(column)" } else if let sqlLocation { place += " (SQL \(sqlLocation))" }
        return place
    }
}

// The initialisers live in an extension so that the memberwise one stays available to them.
extension Diagnostic {
    /// A finding without a step, e.g. a step missing from the catalogue that the lock file records.
    public init(rule: Rule, message: String, file: String, line: Int? = nil, column: Int? = nil) {
        self.init(ruleID: rule.id, severity: rule.severity, message: message, hint: rule.hint, file: file,
                  line: line, column: column, stepID: nil, sqlLocation: nil)
    }

    /// A finding at `location` inside `step`'s SQL.
    public init(rule: Rule, message: String, step: CatalogueStep, at location: SourceLocation) {
        self.init(rule: rule, message: message, origin: step.origin, stepID: step.id, at: location)
    }

    /// A finding at `location` inside the SQL of the step declared at `origin`: exact for a step file,
    /// the `Step(…)` line for a Swift step.
    init(rule: Rule, message: String, origin: StepOrigin, stepID: String?, at location: SourceLocation) {
        let (line, column): (Int, Int?) = switch origin {
        case .file: (location.line, location.column)
        case .swift(_, let line): (line, nil)
        }
        self.init(ruleID: rule.id, severity: rule.severity, message: message, hint: rule.hint, file: origin.path,
                  line: line, column: column, stepID: stepID, sqlLocation: location.description)
    }
}
