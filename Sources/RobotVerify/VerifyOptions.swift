import MaintenanceRobot

/// What to verify and where.
public struct VerifyOptions: Sendable {
    /// Which states of the catalogue the upgrade-path scenario starts from.
    public enum Checkpoints: Sendable, Hashable {
        /// The last step of each version tag in the step names (the state at the end of each release).
        case versionTags
        /// After every step.
        case every
        /// Step positions (`7`) and version tags (`v1.2`), in any order.
        case list([String])
        /// No upgrade-path scenario.
        case none
    }

    /// Where the scratch databases are made; a throwaway cluster by default.
    public var target: VerifyTarget = .throwawayCluster
    public var checkpoints: Checkpoints = .versionTags
    /// Insert generated rows (``sampleRows`` per table) at each checkpoint before upgrading, and trace the locks each
    /// step of the upgrade holds on the tables that have rows (``ScenarioResult/locks``,
    /// ``VerificationReport/blockingSteps``).
    public var withData = false
    /// How many rows ``withData`` inserts into each table.
    public var sampleRows = 1000
    /// How long a step may hold SHARE or stronger on a table with rows before it counts as blocking traffic on a
    /// live database (``VerificationReport/blockingSteps``); a rewrite always counts.
    public var blockThreshold: Duration = .milliseconds(100)
    /// An older catalogue to upgrade from (scenario 4), with a label such as `git abc123` for messages.
    public var olderCatalogue: (catalogue: Catalogue, label: String)?
    /// The robot's settings for every run (ledger schema, timeouts); the mode is set per scenario.
    public var robotConfiguration = RobotConfiguration()

    public init() {}
}
