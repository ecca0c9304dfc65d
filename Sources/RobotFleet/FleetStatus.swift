import MaintenanceRobot

/// Each target's steps as its ledger records them (`robot status --tenant-schemas`/`--targets`).
public struct FleetStatus: Sendable, Codable {
    /// One target's status, or why it could not be read.
    public struct Target: Sendable, Codable {
        /// The database as a URL without its password.
        public var target: String
        /// The tenant schema, for schema-per-tenant.
        public var schema: String?
        /// The ledger schema the target's runs use.
        public var ledgerSchema: String
        /// Each step's standing; `nil` when it could not be read.
        public var status: CatalogueStatus?
        /// Why the status could not be read: unreachable, failed, lock-not-obtained …; `nil` when it was.
        public var problem: FleetReport.Outcome?
        /// The problem in words.
        public var reason: String?
        /// The error behind ``problem``; not in JSON.
        public var error: RobotError? = nil

        private enum CodingKeys: String, CodingKey {
            case target, schema, ledgerSchema, status, problem, reason
        }

        /// Whether every step is applied and the ledger agrees with the catalogue.
        public var isUpToDate: Bool {
            guard let status else { return false }
            return status.conflicts.isEmpty && status.steps.allSatisfy { $0.state == .applied }
        }

        init(_ target: FleetTarget, ledgerSchema: LedgerSchema, status: CatalogueStatus) {
            self.init(target, ledgerSchema: ledgerSchema)
            self.status = status
        }

        init(_ target: FleetTarget, ledgerSchema: LedgerSchema, error: RobotError) {
            let failed = FleetReport.Target(target, ledgerSchema: ledgerSchema, error: error, duration: .zero)
            self.init(target, ledgerSchema: ledgerSchema)
            problem = failed.outcome
            reason = failed.reason
            self.error = error
        }

        /// A target whose status was not read: the fleet was cancelled first.
        static func notRead(_ target: FleetTarget, ledgerSchema: LedgerSchema) -> Target {
            var notRead = Target(target, ledgerSchema: ledgerSchema)
            notRead.problem = .notRun
            notRead.reason = "not read: the fleet was cancelled"
            return notRead
        }

        private init(_ target: FleetTarget, ledgerSchema: LedgerSchema) {
            self.target = target.connection.description
            self.schema = target.tenantSchema?.name
            self.ledgerSchema = ledgerSchema.name
        }
    }

    /// Every target, in the fleet's order.
    public var targets: [Target]
}
