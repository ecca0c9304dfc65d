/// What a run will do with each step, and why: a pure function of the catalogue, the ledger and
/// the mode, so it can be shown (`robot run --dry-run`) and tested without a database.
public struct Plan: Sendable {
    /// What happens to one step.
    public enum Action: Sendable, Hashable {
        /// The step runs. See ``Reason``.
        case apply(Reason)
        /// The step was applied with the same checksum: nothing to do.
        case skip
        /// Heal mode: the step was applied and runs again to repair the database.
        case heal
    }

    /// Why a step runs.
    public enum Reason: Sendable, Hashable, CustomStringConvertible {
        /// The ledger has never seen it.
        case new
        /// Its last run failed.
        case failedBefore(attempts: Int, sqlState: String?)
        /// It was applied, but its SQL has changed since.
        case changed(appliedChecksum: String)

        public var description: String {
            switch self {
            case .new: "new"
            case .failedBefore(let attempts, let sqlState):
                "failed before (\(attempts) attempt\(attempts == 1 ? "" : "s")\(sqlState.map { ", SQLSTATE \($0)" } ?? ""))"
            case .changed: "changed since applied"
            }
        }
    }

    /// One step and what happens to it.
    public struct Entry: Sendable, Hashable {
        public let step: CatalogueStep
        public let action: Action
        /// What the ledger knew about the step before the run.
        public let ledgerRow: LedgerRow?
    }

    /// How the run treats applied steps.
    public enum Mode: String, Sendable, Hashable, Codable, CaseIterable {
        /// Run new, failed and changed steps; skip the rest.
        case apply
        /// Run every step again, applied or not.
        case heal
    }

    public let entries: [Entry]
    /// Ledger rows whose step the catalogue no longer has at its position: the history was rewritten
    /// (a step inserted, removed or re-ordered). A plan with conflicts must not run.
    public let conflicts: [Conflict]

    /// How the ledger and the catalogue disagree on the order of applied steps.
    public enum Conflict: Sendable, Hashable, CustomStringConvertible {
        /// An applied step is at another position in the catalogue now.
        case moved(id: String, appliedAt: Int, nowAt: Int)
        /// The position of an applied step holds another step now (it was removed, or one was inserted before it).
        case replaced(position: Int, applied: LedgerRow, now: CatalogueStep)

        public var description: String {
            switch self {
            case .moved(let id, let appliedAt, let nowAt):
                "step '\(id)' was applied at position \(appliedAt) but the catalogue now has it at position \(nowAt); steps are only appended: restore the order"
            case .replaced(let position, let applied, let now):
                "position \(position) held step '\(applied.id)' (\(applied.name)) when it was applied but now holds '\(now.id)' (\(now.name)); steps are only appended: put '\(applied.id)' back and add new steps at the end"
            }
        }
    }
    /// Ledger rows past the end of the catalogue: applied by a newer release of the catalogue.
    public let unknownSteps: [LedgerRow]
    /// `true` when the database had no ledger: every step runs once to adopt it.
    public let isAdoption: Bool

    /// Plans a run.
    /// - Parameters:
    ///   - ledger: the ledger's rows, or `nil` when the database has none yet.
    public init(catalogue: Catalogue, ledger: [LedgerRow]?, mode: Mode) {
        let rowsByID = Dictionary((ledger ?? []).map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        entries = catalogue.steps.map { step in
            let row = rowsByID[step.id]
            return Entry(step: step, action: Self.action(for: step, row: row, mode: mode), ledgerRow: row)
        }
        let stepsByID = Dictionary(catalogue.steps.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var conflicts: [Conflict] = []
        var unknown: [LedgerRow] = []
        for row in ledger ?? [] {
            if let step = stepsByID[row.id] {
                if step.position != row.position {
                    conflicts.append(.moved(id: row.id, appliedAt: row.position, nowAt: step.position))
                }
            } else if row.position <= catalogue.steps.count {
                conflicts.append(.replaced(position: row.position, applied: row, now: catalogue.steps[row.position - 1]))
            } else {
                unknown.append(row)
            }
        }
        self.conflicts = conflicts
        self.unknownSteps = unknown
        self.isAdoption = ledger == nil
    }

    /// Whether any step would run.
    public var hasWork: Bool {
        entries.contains { $0.action != .skip }
    }

    /// Steps whose SQL changed after they were applied: old steps should not be edited.
    public var changedSteps: [Entry] {
        entries.filter {
            if case .apply(.changed) = $0.action { return true }
            return false
        }
    }

    private static func action(for step: CatalogueStep, row: LedgerRow?, mode: Mode) -> Action {
        guard let row else { return .apply(.new) }
        if row.status == .failed { return .apply(.failedBefore(attempts: row.attempts, sqlState: row.sqlState)) }
        if row.checksum != step.checksum { return .apply(.changed(appliedChecksum: row.checksum)) }
        return mode == .heal ? .heal : .skip
    }
}
