import MaintenanceRobot
import RobotLint
import RobotSQL

/// The locks one step held on tables with rows during an upgrade with sample rows (`--with-data`), traced
/// statement by statement.
public struct StepLockReport: Sendable, Hashable, Codable {
    public var position: Int
    public var id: String
    public var name: String
    /// The tables that were there before the step and held rows, with what the step held on them.
    public var relations: [LockedRelation]
    /// Where the statement that took the strongest of those locks starts: `steps/0004_x.sql:3:1`.
    public var location: String

    /// The relation locked hardest (a rewritten one first among equals).
    public var strongest: LockedRelation? { StepLocks(relations: relations).strongestOnPopulated }

    /// `step 4 "Widen plan" AccessExclusiveLock on public.tenants, rewritten, held 35 ms (steps/0004_x.sql:5:9)`
    public var summary: String {
        guard let strongest else { return "step \(position) \"\(name)\"" }
        return "step \(position) \"\(name)\" \(Self.describe(strongest)) (\(location))"
    }

    static func describe(_ relation: LockedRelation) -> String {
        var text = "\(relation.strongestMode?.rawValue ?? "a lock not read") on \(relation.qualifiedName)"
        if relation.rewritten { text += ", rewritten" }
        text += relation.heldMilliseconds.map { ", held \($0) ms" } ?? ", held for an unknown time (the step runs without a transaction)"
        return text
    }

    /// The report of `outcome`, a step of `catalogue` that ran: `nil` when it touched no table with rows.
    init?(_ outcome: StepOutcome, in catalogue: Catalogue) {
        let tableKinds: Set<RelationKind> = [.table, .partitionedTable, .materializedView]
        let populated = outcome.locks?.relations.filter { $0.wasPopulated && tableKinds.contains($0.kind) } ?? []
        guard !populated.isEmpty, catalogue.steps.indices.contains(outcome.position - 1) else { return nil }
        let step = catalogue.steps[outcome.position - 1]
        position = outcome.position
        id = outcome.id
        name = outcome.name
        relations = populated
        let statement = StepLocks(relations: populated).strongestOnPopulated?.statement
            .flatMap { step.statements.indices.contains($0 - 1) ? step.statements[$0 - 1] : nil } ?? step.statements.first
        location = step.describe(statement?.start ?? .start)
    }
}

/// A step that would block traffic on a live database: it held SHARE or stronger on a table with rows for longer
/// than the threshold, or rewrote such a table, in at least one upgrade with sample rows.
public struct BlockingStep: Sendable, Hashable, Codable {
    public var position: Int
    public var id: String
    public var name: String
    /// Where the statement is: the lint finding's place when a lock rule reports it, else the statement's start.
    public var location: String
    /// What the step held on the table, in the upgrade where it held it longest.
    public var lock: LockedRelation
    /// The upgrades (scenario titles) in which it blocked.
    public var scenarios: [String]
    /// The lock rule that reports the statement, when one does (`index-without-concurrently` …).
    public var rule: String?
    /// What to write instead.
    public var saferForm: String

    /// The steps of `scenarios` that block traffic, each once (with its longest hold), in step order.
    static func find(in scenarios: [ScenarioResult], catalogue: Catalogue, threshold: Duration, lint: [Diagnostic]) -> [BlockingStep] {
        var found: [String: BlockingStep] = [:]
        for scenario in scenarios {
            for report in scenario.locks {
                for relation in report.relations where blocks(relation, threshold: threshold) {
                    let key = "\(report.id) \(relation.qualifiedName)"
                    if var known = found[key] {
                        known.scenarios.append(scenario.title)
                        if (relation.heldMilliseconds ?? 0) > (known.lock.heldMilliseconds ?? 0) { known.lock = relation }
                        found[key] = known
                    } else {
                        found[key] = BlockingStep(report, relation, scenario: scenario.title, catalogue: catalogue, lint: lint)
                    }
                }
            }
        }
        return found.values.sorted { ($0.position, $0.lock.qualifiedName) < ($1.position, $1.lock.qualifiedName) }
    }

    /// Whether traffic on a live database would wait on `relation`: a rewrite, or SHARE or stronger held longer
    /// than `threshold`.
    static func blocks(_ relation: LockedRelation, threshold: Duration) -> Bool {
        guard relation.wasPopulated else { return false }
        if relation.rewritten { return true }
        guard relation.strongestMode?.blocksWrites == true, let held = relation.heldMilliseconds else { return false }
        return Duration.milliseconds(held) > threshold
    }

    private init(_ report: StepLockReport, _ relation: LockedRelation, scenario: String, catalogue: Catalogue, lint: [Diagnostic]) {
        position = report.position
        id = report.id
        name = report.name
        lock = relation
        scenarios = [scenario]
        let step = catalogue.steps[report.position - 1]
        let statement = relation.statement.flatMap { step.statements.indices.contains($0 - 1) ? step.statements[$0 - 1] : nil }
        let finding = lint.first { diagnostic in
            guard diagnostic.stepID == step.id, let lock = diagnostic.lock, ["public.\(lock.relation)", lock.relation].contains(relation.qualifiedName)
            else { return false }
            guard let statement, let at = diagnostic.sqlLocation.flatMap(Self.position) else { return true }
            return at >= (statement.start.line, statement.start.column) && at < (statement.end.line, statement.end.column)
        }
        location = finding?.place ?? step.describe(statement?.start ?? step.statements.first?.start ?? .start)
        rule = finding?.ruleID
        saferForm = finding?.hint ?? (relation.rewritten
            ? "avoid rewriting \(relation.qualifiedName) at deploy: add new columns with constant defaults and backfill in batches in later steps"
            : "keep the statement that takes \(relation.strongestMode?.rawValue ?? "the lock") on \(relation.qualifiedName) short: do slow work in batches in later steps, or in a form that does not block writes")
    }

    /// `line:column` as a pair.
    private static func position(_ text: String) -> (Int, Int)? {
        let parts = text.split(separator: ":").compactMap { Int($0) }
        return parts.count == 2 ? (parts[0], parts[1]) : nil
    }
}
