import Logging
import MaintenanceRobot
import RobotVerify

/// The live database as drift sees it: its schema entries, their details, its ledger's standing and the facts
/// the repair needs.
struct LiveState: Sendable {
    let entries: [Fingerprint.Entry]
    let details: SchemaDetails
    let ledger: LedgerStanding
    let facts: LiveFacts
}

/// Reads the live database without writing to it: one session, one `READ ONLY` transaction (repeatable read, so every
/// query sees the same moment) with the run's `lock_timeout` and `statement_timeout` set `LOCAL` to it, catalog
/// queries and `SELECT`s only. Nothing is created, not even the ledger.
struct LiveReader {
    let options: DriftOptions
    let logger: Logger

    /// Connects to the live database, waiting up to the configuration's `connectTimeout`.
    func connect(_ settings: ConnectionSettings) async throws(DriftError) -> DatabaseSession {
        do {
            return try await DatabaseSession.connect(to: settings, waitingUpTo: options.robotConfiguration.connectTimeout, logger: logger)
        } catch {
            throw .liveConnection(error)
        }
    }

    /// Reads the live database on `session` (which the caller closes; closing it also ends a transaction a failed
    /// read left open).
    func read(_ session: DatabaseSession, expected: ExpectedState) async throws(DriftError) -> LiveState {
        do {
            return try await readOnly(session, expected: expected)
        } catch {
            throw .liveRead(error)
        }
    }

    private func readOnly(_ session: DatabaseSession, expected: ExpectedState) async throws(DatabaseError) -> LiveState {
        let configuration = options.robotConfiguration
        try await session.execute("BEGIN TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        try await session.execute("SET LOCAL lock_timeout = '\(Self.milliseconds(configuration.stepLockTimeout))ms'")
        try await session.execute("SET LOCAL statement_timeout = '\(Self.milliseconds(configuration.statementTimeout))ms'")
        let filter = SchemaFilter(ledgerSchema: configuration.ledgerSchema.name, comparesOwnership: false)
        let entries = try await Fingerprint.captureSchema(session, filter: filter)
        let details = try await SchemaDetails.read(session, filter: filter)
        let ledger = try await Self.ledger(configuration.ledgerSchema, session)
        let facts = try await LiveFactReader(
            expected: expected.details, seeds: expected.seeds, live: details, manyRows: options.concurrentIndexRowThreshold
        ).read(session)
        try await session.execute("COMMIT")
        return LiveState(entries: entries, details: details, ledger: ledger, facts: facts)
    }

    /// The ledger's rows, read only when the schema and table exist and the role may read them (a failed query would
    /// end the transaction).
    private static func ledger(_ schema: LedgerSchema, _ session: DatabaseSession) async throws(DatabaseError) -> LedgerStanding {
        let standing = try await session.execute("""
            SELECT CASE WHEN NOT EXISTS (SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = $1) THEN 'missing'
                        WHEN NOT has_schema_privilege($1, 'USAGE') THEN 'unreadable'
                        WHEN to_regclass(quote_ident($1) || '.steps') IS NULL THEN 'missing'
                        WHEN NOT has_table_privilege(quote_ident($1) || '.steps', 'SELECT') THEN 'unreadable'
                        ELSE 'readable' END AS standing
            """, [.text(schema.name)]).first?.string("standing")
        switch standing {
        case "readable": break
        case "unreadable": return .unreadable
        default: return .missing
        }
        var recorded: [String: (checksum: String, status: String)] = [:]
        for row in try await session.execute("SELECT id, checksum, status FROM \(quoteIdentifier(schema.name)).steps") {
            guard let id = row.string("id"), let checksum = row.string("checksum"), let status = row.string("status") else { continue }
            recorded[id] = (checksum, status)
        }
        return .recorded(recorded)
    }

    static func milliseconds(_ duration: Duration) -> Int {
        max(1, Int(duration / .milliseconds(1)))
    }
}
