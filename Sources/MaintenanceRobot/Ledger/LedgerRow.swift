/// What the ledger knows about one step.
public struct LedgerRow: Sendable, Hashable, Codable {
    /// Whether the step's last run committed.
    public enum Status: String, Sendable, Hashable, Codable {
        case applied
        case failed
    }

    public var id: String
    public var position: Int
    public var name: String
    /// The checksum of the SQL that last ran.
    public var checksum: String
    public var status: Status
    /// How many runs executed the step.
    public var attempts: Int
    /// When the step first committed (ISO 8601), if it ever did.
    public var firstAppliedAt: String?
    /// When a run last executed the step (ISO 8601).
    public var lastRunAt: String
    public var durationMilliseconds: Int?
    /// The SQLSTATE of the last failure, while the step stands failed.
    public var sqlState: String?
    /// The message of the last failure, while the step stands failed.
    public var error: String?
    /// The robot version that last ran the step.
    public var robotVersion: String
}
