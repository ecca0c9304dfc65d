import Foundation

/// The robot's only state: which step ran when, with which checksum and outcome, and a row per run.
///
/// It lives in its own schema (``LedgerSchema``), is created idempotently under the advisory lock,
/// and carries its own version so a newer robot can upgrade an older ledger.
struct Ledger: Sendable {
    /// The ledger layout this robot writes: 2 added `steps.locks` (see ``upgrade(_:)``).
    static let version = 2

    let schema: LedgerSchema

    /// The ledger's rows, or `nil` when the database has no ledger yet. One round trip.
    func read(using transaction: RunTransaction) async throws(RobotError) -> [LedgerRow]? {
        try await readVersioned("""
                SELECT m.value AS ledger_version, s.id, s.position, s.name, s.checksum, s.status, s.attempts,
                       s.first_applied_at::text AS first_applied_at, s.last_run_at::text AS last_run_at,
                       s.duration_ms, s.sqlstate, s.error, s.robot_version
                FROM \(schema.table("meta")) AS m
                LEFT JOIN \(schema.table("steps")) AS s ON true
                WHERE m.key = 'ledger_version'
                ORDER BY s.position
                """, using: transaction)?.compactMap(Self.ledgerRow)
    }

    /// The ledger's row of `step`, or `nil` when it has none.
    func row(of step: CatalogueStep, on session: DatabaseSession) async throws(DatabaseError) -> LedgerRow? {
        try await session.execute("""
            SELECT id, position, name, checksum, status, attempts, first_applied_at::text AS first_applied_at,
                   last_run_at::text AS last_run_at, duration_ms, sqlstate, error, robot_version
            FROM \(schema.table("steps")) WHERE id = $1
            """, [.text(step.id)]).first.flatMap(Self.ledgerRow)
    }

    /// Creates the ledger if it is missing, in a transaction of its own that holds the robots' lock. Idempotent.
    ///
    /// Its notices (`schema "maintenance_robot" already exists, skipping`, the same for each table) are dropped:
    /// they are the robot's housekeeping, and would otherwise be reported as the next step's.
    func create(using transaction: RunTransaction) async throws(RobotError) {
        let session = transaction.session
        defer { _ = session.takeNotices() }
        let started = ContinuousClock.now
        do {
            try await transaction.run(locked: true) { () async throws(DatabaseError) in
                for statement in creationStatements { try await session.execute(statement) }
                try await upgrade(session)
                try await StepLockCapture(schema: schema).install(on: session)
            }
        } catch {
            throw await error.robotError("create the ledger schema \(schema.name)", ledger: self, waited: ContinuousClock.now - started,
                                         on: session)
        }
    }

    private var creationStatements: [String] {
        [
            "CREATE SCHEMA IF NOT EXISTS \(schema.quoted)",
            "CREATE TABLE IF NOT EXISTS \(schema.table("meta")) (key text PRIMARY KEY, value text NOT NULL)",
            """
            CREATE TABLE IF NOT EXISTS \(schema.table("steps")) (
                id text PRIMARY KEY,
                position integer NOT NULL,
                name text NOT NULL,
                checksum text NOT NULL,
                status text NOT NULL CHECK (status IN ('applied', 'failed')),
                attempts integer NOT NULL DEFAULT 0,
                first_applied_at timestamptz,
                last_run_at timestamptz NOT NULL,
                duration_ms integer,
                sqlstate text,
                error text,
                robot_version text NOT NULL,
                locks jsonb
            )
            """,
            """
            CREATE TABLE IF NOT EXISTS \(schema.table("runs")) (
                id bigserial PRIMARY KEY,
                started_at timestamptz NOT NULL,
                finished_at timestamptz NOT NULL,
                host text,
                mode text NOT NULL,
                outcome text NOT NULL,
                applied integer NOT NULL,
                healed integer NOT NULL,
                skipped integer NOT NULL,
                failed integer NOT NULL,
                robot_version text NOT NULL
            )
            """,
            "INSERT INTO \(schema.table("meta")) (key, value) VALUES ('ledger_version', '\(Self.version)') ON CONFLICT (key) DO NOTHING",
        ]
    }

    /// Records a committed step with the locks it took (`locks`, an SQL expression, see ``StepLockCapture``), and
    /// returns them. Run it inside the step's transaction so both commit together.
    func recordApplied(_ step: CatalogueStep, duration: Duration, locks: String, on session: DatabaseSession) async throws(DatabaseError) -> StepLocks? {
        let values = AppliedRow(step, durationMilliseconds: "\(duration.milliseconds)", locks: locks)
        let rows = try await session.execute(appliedRowStatement(values) + " RETURNING locks::text AS locks")
        return rows.first?.string("locks").flatMap(StepLocks.init(ledgerJSON:))
    }

    /// The values of an applied step's row, each an SQL expression: literals, or the arguments of the function a
    /// step's block calls (``StepLockCapture/installStatement``).
    struct AppliedRow {
        var id, position, name, checksum, robotVersion, durationMilliseconds, locks: String
    }

    /// The statement that records a step as applied.
    func appliedRowStatement(_ row: AppliedRow) -> String {
        """
        INSERT INTO \(schema.table("steps")) AS l
            (id, position, name, checksum, status, attempts, first_applied_at, last_run_at, duration_ms, robot_version, locks)
        VALUES (\(row.id), \(row.position), \(row.name), \(row.checksum), 'applied', 1,
                clock_timestamp(), clock_timestamp(), \(row.durationMilliseconds), \(row.robotVersion), \(row.locks))
        ON CONFLICT (id) DO UPDATE SET
            position = EXCLUDED.position, name = EXCLUDED.name, checksum = EXCLUDED.checksum, status = 'applied',
            attempts = l.attempts + 1, first_applied_at = COALESCE(l.first_applied_at, EXCLUDED.first_applied_at),
            last_run_at = EXCLUDED.last_run_at, duration_ms = EXCLUDED.duration_ms, sqlstate = NULL, error = NULL,
            robot_version = EXCLUDED.robot_version, locks = EXCLUDED.locks
        """
    }

    /// Records a failed step, after its transaction rolled back.
    func recordFailed(_ step: CatalogueStep, error: DatabaseError, duration: Duration, on session: DatabaseSession) async throws(DatabaseError) {
        try await session.execute("""
            INSERT INTO \(schema.table("steps")) AS l
                (id, position, name, checksum, status, attempts, last_run_at, duration_ms, sqlstate, error, robot_version)
            VALUES ($1, $2, $3, $4, 'failed', 1, clock_timestamp(), $5, $6, $7, $8)
            ON CONFLICT (id) DO UPDATE SET
                position = EXCLUDED.position, name = EXCLUDED.name, checksum = EXCLUDED.checksum, status = 'failed',
                attempts = l.attempts + 1, last_run_at = EXCLUDED.last_run_at, duration_ms = EXCLUDED.duration_ms,
                sqlstate = EXCLUDED.sqlstate, error = EXCLUDED.error, robot_version = EXCLUDED.robot_version
            """,
            [.text(step.id), .integer(step.position), .text(step.name), .text(step.checksum),
             .integer(duration.milliseconds), .text(error.sqlState), .text(error.message), .text(Robot.version)])
    }

    /// Records a finished run and, when it left every step of the catalogue applied, the catalogue's digest
    /// (see ``AppliedCatalogue``).
    func recordRun(_ report: RunReport, catalogueDigest: String?, on session: DatabaseSession) async throws(DatabaseError) {
        let insertRun = """
            INSERT INTO \(schema.table("runs"))
                (started_at, finished_at, host, mode, outcome, applied, healed, skipped, failed, robot_version)
            VALUES (to_timestamp($1), clock_timestamp(), $2, $3, $4, $5, $6, $7, $8, $9)
            """
        var values: [SQLValue] = [
            .double(report.startedAt.timeIntervalSince1970),
            .text(ProcessInfo.processInfo.hostName), .text(report.mode.rawValue), .text(report.outcome.rawValue),
            .integer(report.count(.applied)), .integer(report.count(.healed)), .integer(report.count(.skipped)),
            .integer(report.count(.failed)), .text(Robot.version),
        ]
        guard let catalogueDigest else {
            try await session.execute(insertRun, values)
            return
        }
        values.append(.text(catalogueDigest))
        try await session.execute("""
            WITH run AS (\(insertRun))
            INSERT INTO \(schema.table("meta")) (key, value) VALUES ('catalogue_digest', $10 || ' ' || \(stepsStamp))
            ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value
            """, values)
    }

    /// What the ledger records of the catalogue a run last left applied: its digest, kept with a stamp of the
    /// step rows (how many, and the latest run time), so that any later write by any robot — a failure,
    /// another catalogue, a heal — invalidates it.
    struct AppliedCatalogue: Sendable {
        /// `digest count time`, as ``recordRun(_:catalogueDigest:on:)`` wrote it; `nil` when there is none.
        let record: String?
        /// The step rows' `count time` now.
        let stepsStamp: String

        /// Whether the ledger records `catalogueDigest` as applied and no step row changed since: then nothing
        /// is to do, known from one row instead of one per step.
        func isCurrent(catalogueDigest: String) -> Bool {
            record == "\(catalogueDigest) \(stepsStamp)"
        }
    }

    /// The ledger's record of the catalogue a run last left applied; `nil` when the database has no ledger.
    /// One round trip, which needs no steps: a run sends it while it reads them.
    func appliedCatalogue(using transaction: RunTransaction) async throws(RobotError) -> AppliedCatalogue? {
        let rows = try await readVersioned("""
            SELECT (SELECT value FROM \(schema.table("meta")) WHERE key = 'ledger_version') AS ledger_version,
                   (SELECT value FROM \(schema.table("meta")) WHERE key = 'catalogue_digest') AS catalogue_digest,
                   \(stepsStamp) AS steps_stamp
            """, using: transaction)
        guard let row = rows?.first, let stepsStamp = row.string("steps_stamp") else { return nil }
        return AppliedCatalogue(record: row.string("catalogue_digest"), stepsStamp: stepsStamp)
    }

    /// Runs a read whose rows carry the column `ledger_version`: `nil` when the database has no ledger yet.
    /// - Throws: ``RobotError/ledgerTooNew(schema:found:supported:)`` for a ledger this robot cannot read.
    private func readVersioned(_ sql: String, using transaction: RunTransaction) async throws(RobotError) -> [SessionRow]? {
        let session = transaction.session
        let started = ContinuousClock.now
        let found: [SessionRow]?
        do {
            found = try await transaction.perform(locked: false) { () async throws(DatabaseError) -> [SessionRow]? in
                do throws(DatabaseError) {
                    return try await session.execute(sql)
                } catch {
                    // No ledger yet.
                    if error.sqlState == "42P01" || error.sqlState == "3F000" { return nil }
                    throw error
                }
            }
        } catch {
            throw await error.robotError("read the ledger", ledger: self, waited: ContinuousClock.now - started, on: session)
        }
        guard let rows = found, let version = rows.first?.string("ledger_version") else { return nil }
        try Self.checkReadable(version: version, schema: schema)
        return rows
    }

    /// What a failed ledger operation means for the run. Another session's lock on a ledger table, held past the
    /// session's `lock_timeout` (55P03), is ``RobotError/lockNotObtained(_:waitedSeconds:holder:)`` naming the table
    /// and its holder; so is a `statement_timeout` (57014) while such a lock is held. A broken connection is
    /// ``RobotError/connectionLost(_:step:)``; anything else ``RobotError/ledger(operation:_:)``.
    func failure(_ operation: String, _ error: DatabaseError, waited: Duration, on session: DatabaseSession) async -> RobotError {
        if error.isConnectionLost { return .connectionLost(error, step: nil) }
        guard error.sqlState == "55P03" || error.sqlState == "57014" else { return .ledger(operation: operation, error) }
        let holder = try? await LockOwner.find(.ledgerTables(schema), on: session)
        if error.sqlState == "57014" && holder == nil { return .ledger(operation: operation, error) }
        return .lockNotObtained(.ledgerTable(holder?.table), waitedSeconds: waited.seconds, holder: holder?.description)
    }

    /// The step rows' count and latest run time, as text.
    private var stepsStamp: String {
        "(SELECT count(*) || ' ' || coalesce(extract(epoch FROM max(last_run_at))::text, '') FROM \(schema.table("steps")))"
    }

    private static func ledgerRow(_ row: SessionRow) -> LedgerRow? {
        guard let id = row.string("id"), let position = row.int("position"), let name = row.string("name"),
              let checksum = row.string("checksum"), let status = row.string("status").flatMap(LedgerRow.Status.init),
              let lastRunAt = row.string("last_run_at"), let robotVersion = row.string("robot_version")
        else { return nil }
        return LedgerRow(
            id: id, position: position, name: name, checksum: checksum, status: status,
            attempts: row.int("attempts") ?? 0, firstAppliedAt: row.string("first_applied_at"), lastRunAt: lastRunAt,
            durationMilliseconds: row.int("duration_ms"), sqlState: row.string("sqlstate"), error: row.string("error"),
            robotVersion: robotVersion
        )
    }
}

extension Duration {
    /// The duration in whole milliseconds.
    var milliseconds: Int {
        let (seconds, attoseconds) = components
        return Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000)
    }
}

extension Ledger.AppliedRow {
    /// `step`'s values as literals.
    init(_ step: CatalogueStep, durationMilliseconds: String, locks: String) {
        self.init(id: step.id.sqlLiteral, position: "\(step.position)", name: step.name.sqlLiteral, checksum: step.checksum.sqlLiteral,
                  robotVersion: Robot.version.sqlLiteral, durationMilliseconds: durationMilliseconds, locks: locks)
    }
}
