/// What the repair needs to know of the live tables beyond their definitions, read in the same read-only
/// transaction as the fingerprint: only for the tables a repair touches.
struct LiveFacts: Sendable {
    /// Rows holding NULL, per column (fingerprint name) that the fresh install has NOT NULL and the live one does not.
    var nullCounts: [String: Int] = [:]
    /// Rows per table (fingerprint name) that gains a NOT NULL column without a default.
    var rowCounts: [String: Int] = [:]
    /// Whether a table that gains an index holds at least the concurrent-index threshold of rows.
    var hasManyRows: [String: Bool] = [:]
    /// Tables the live role may not read: their counts and seed rows are unknown.
    var unreadable: Set<String> = []
    /// The live rows with the catalogue's seed keys: table → key values → column → text.
    var seedRows: [String: [[String]: [String: String?]]] = [:]
    /// Seed tables whose rows could not be compared, with the reason.
    var seedNotes: [String] = []
}

/// What the live ledger says about the catalogue's steps.
enum LedgerStanding: Sendable {
    /// No ledger in the live database.
    case missing
    /// The live role may not read it.
    case unreadable
    /// Step id → its recorded checksum and status.
    case recorded([String: (checksum: String, status: String)])
}
