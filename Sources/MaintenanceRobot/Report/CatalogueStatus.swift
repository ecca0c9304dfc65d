/// Each step's standing in a database's ledger, as `robot status` shows it.
public struct CatalogueStatus: Sendable, Hashable, Codable {
    /// Where one step stands.
    public enum State: String, Sendable, Hashable, Codable {
        case applied
        case pending
        case failed
        /// Applied, but its SQL has changed since.
        case changed
    }

    public struct Entry: Sendable, Hashable, Codable {
        public var position: Int
        public var id: String
        public var name: String
        public var state: State
        public var firstAppliedAt: String?
        public var lastRunAt: String?
        public var attempts: Int
        /// The last failure, while the step stands failed.
        public var error: String?
    }

    public var target: String
    public var ledgerSchema: String
    /// Whether the database has a ledger at all.
    public var hasLedger: Bool
    public var steps: [Entry]
    /// Ledger rows past the end of the catalogue (applied by a newer release).
    public var unknownSteps: [LedgerRow]
    /// Disagreements between the ledger's order and the catalogue's; a run would refuse.
    public var conflicts: [String]
    /// INVALID indexes in the database: concurrent builds that did not finish.
    public var invalidIndexes: [InvalidIndex] = []

    init(plan: Plan, target: String, ledgerSchema: String) {
        self.target = target
        self.ledgerSchema = ledgerSchema
        self.hasLedger = !plan.isAdoption
        self.unknownSteps = plan.unknownSteps
        self.conflicts = plan.conflicts.map(\.description)
        self.steps = plan.entries.map { entry in
            let state: State = switch entry.action {
            case .skip, .heal: .applied
            case .apply(.new): .pending
            case .apply(.failedBefore): .failed
            case .apply(.changed): .changed
            }
            return Entry(
                position: entry.step.position, id: entry.step.id, name: entry.step.name, state: state,
                firstAppliedAt: entry.ledgerRow?.firstAppliedAt, lastRunAt: entry.ledgerRow?.lastRunAt,
                attempts: entry.ledgerRow?.attempts ?? 0, error: entry.ledgerRow?.error
            )
        }
    }

    /// How many steps stand in `state`.
    public func count(_ state: State) -> Int {
        steps.lazy.filter { $0.state == state }.count
    }
}
