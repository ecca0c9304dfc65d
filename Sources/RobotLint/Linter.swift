import MaintenanceRobot
import RobotSQL

/// Proves a catalogue's steps idempotent statically, before anything reaches a database.
///
/// ```swift
/// let diagnostics = Linter().lint(catalogue, lock: try LockFile.read("steps/.robot.lock"))
/// try Linter().check(Catalogue(MyService.steps))   // in a test: throws LintError on any error
/// ```
public struct Linter: Sendable {
    /// The rules that run; the rest are off.
    public let rules: Set<Rule>

    /// A linter running `rules` (all by default).
    public init(rules: Set<Rule> = Set(Rule.allCases)) {
        self.rules = rules
    }

    /// Every finding in `catalogue`, in step order; with `lock`, also applied steps edited, removed or moved.
    public func lint(_ catalogue: Catalogue, lock: LockFile? = nil) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        var createdColumns: [DeclaredColumn] = []
        var addedColumns: [DeclaredColumn] = []
        var constraints = NotNullConstraints()
        let hasVersionTags = catalogue.steps.contains { $0.versionTag != nil }
        for step in catalogue.steps {
            let checker = StepLinter.lint(step, constraints: constraints)
            constraints = checker.constraints
            var findings = checker.findings
            if hasVersionTags, step.versionTag == nil {
                findings.append(Finding(
                    rule: .missingVersionTag, message: "\(step.label) has no version tag while other steps have one",
                    location: step.statements.first?.start ?? .start, comments: step.statements.first.map(StepLinter.leadingComments) ?? []
                ))
            }
            findings += Self.drift(between: createdColumns, and: checker.addedColumns)
            createdColumns += checker.createdColumns
            addedColumns += checker.addedColumns
            diagnostics += unsuppressed(findings, in: step)
        }
        if let lock { diagnostics += lock.drift(of: catalogue).filter { Rule(rawValue: $0.ruleID).map(rules.contains) ?? true } }
        return diagnostics
    }

    /// Lints the step directory at `path`; a step the lexer cannot read becomes a `lexing-error` finding.
    ///
    /// - Throws: ``CatalogueError`` for every other catalogue problem (missing directory, stray files, gaps).
    public func lint(directory path: String, lock: LockFile? = nil) throws(CatalogueError) -> [Diagnostic] {
        do {
            return lint(try StepDirectory.declaration(in: path).validated(refusingTransactionControl: false), lock: lock)
        } catch {
            let lexingErrors = error.problems.compactMap(Self.lexingError)
            guard lexingErrors.count == error.problems.count else { throw error }
            return lexingErrors
        }
    }

    /// Lints steps declared in Swift; a step the lexer cannot read becomes a `lexing-error` finding.
    ///
    /// - Throws: ``CatalogueError`` for every other catalogue problem (no steps, duplicate ids, empty steps).
    public func lint(steps: [Step], lock: LockFile? = nil) throws(CatalogueError) -> [Diagnostic] {
        do {
            return lint(try Catalogue(steps, refusingTransactionControl: false), lock: lock)
        } catch {
            guard error.problems.allSatisfy(Self.isSyntaxProblem) else { throw error }
            return steps.compactMap { step in
                do throws(SQLSyntaxError) {
                    _ = try SQLStatementSplitter.split(step.sql)
                    return nil
                } catch {
                    return Diagnostic(rule: .lexingError, message: error.description.droppingLocationPrefix, origin: step.origin, stepID: step.id, at: error.location)
                }
            }
        }
    }

    private static func isSyntaxProblem(_ problem: CatalogueError.Problem) -> Bool {
        if case .syntax = problem { true } else { false }
    }

    /// Throws when `catalogue` has any error-level finding: the check for a test.
    /// - Throws: ``LintError`` listing the errors.
    public func check(_ catalogue: Catalogue, lock: LockFile? = nil) throws(LintError) {
        let errors = lint(catalogue, lock: lock).filter { $0.severity == .error }
        if !errors.isEmpty { throw LintError(diagnostics: errors) }
    }

    /// A lexing error of a step file as a finding; nil for any other catalogue problem.
    private static func lexingError(_ problem: CatalogueError.Problem) -> Diagnostic? {
        guard case .syntax(let path, let error) = problem else { return nil }
        return Diagnostic(rule: .lexingError, message: error.description.droppingLocationPrefix, file: path, line: error.location.line, column: error.location.column)
    }

    /// A guarded ADD COLUMN of a later step that declares a CREATE TABLE's column differently.
    private static func drift(between created: [DeclaredColumn], and added: [DeclaredColumn]) -> [Finding] {
        added.compactMap { addition in
            guard let original = created.last(where: { $0.table == addition.table && $0.column == addition.column }) else { return nil }
            let differences = addition.definition.differences(from: original.definition)
            guard !differences.isEmpty else { return nil }
            return Finding(
                rule: .columnDefinitionDrift,
                message: "\(addition.table).\(addition.column) is declared differently by CREATE TABLE at \(original.place) (\(differences.joined(separator: "; "))); fresh and upgraded databases differ",
                location: addition.location, comments: addition.comments
            )
        }
    }

    /// The findings of enabled rules that no `-- robot:allow` suppresses, plus problems of the suppressions.
    private func unsuppressed(_ findings: [Finding], in step: CatalogueStep) -> [Diagnostic] {
        var kept: [Finding] = []
        var seenComments = Set<SourceLocation>()
        for finding in findings {
            let suppressions = finding.comments.compactMap(Suppression.init)
            for suppression in suppressions where seenComments.insert(suppression.comment.start).inserted {
                kept += suppression.problems(finding.comments)
            }
            if !suppressions.contains(where: { $0.ruleID == finding.rule.id }) { kept.append(finding) }
        }
        for statement in step.statements {
            for suppression in StepLinter.leadingComments(of: statement).compactMap(Suppression.init)
            where seenComments.insert(suppression.comment.start).inserted {
                kept += suppression.problems([])
            }
        }
        return kept.filter { rules.contains($0.rule) }
            .sorted { $0.location < $1.location }
            .map { finding in
                var diagnostic = Diagnostic(rule: finding.rule, message: finding.message, step: step, at: finding.location)
                diagnostic.lock = finding.lock
                return diagnostic
            }
    }
}

/// The error-level findings that make ``Linter/check(_:lock:)`` fail.
public struct LintError: Error, Sendable, CustomStringConvertible {
    /// The errors found.
    public let diagnostics: [Diagnostic]

    public var description: String {
        let heading = "the catalogue has \(diagnostics.count) lint error\(diagnostics.count == 1 ? "" : "s"):"
        return ([heading] + diagnostics.map { "  " + TextRenderer.line(for: $0) }).joined(separator: "\n")
    }
}
