import Foundation
import Logging

extension StepLocks {
    /// The locks as the ledger keeps them (the JSON of `steps.locks`); `nil` for JSON this robot cannot read.
    init?(ledgerJSON: String) {
        guard let record = try? JSONDecoder().decode(Record.self, from: Data(ledgerJSON.utf8)) else { return nil }
        self.init(relations: record.relations.map(\.lockedRelation), unobserved: record.unobserved)
    }

    /// The ledger's layout, which keeps `pg_class.relkind` and `pg_locks.mode` as PostgreSQL spells them.
    private struct Record: Decodable {
        struct Relation: Decodable {
            let schema: String
            let relation: String
            let kind: String
            let modes: [String]
            let existedBefore: Bool
            let rows: Int?
            let hasRows: Bool?
            let rewritten: Bool

            var lockedRelation: LockedRelation {
                LockedRelation(
                    schema: schema, relation: relation, kind: RelationKind(relkind: kind),
                    modes: modes.compactMap(LockMode.init(rawValue:)).sorted(by: >), existedBefore: existedBefore,
                    rows: rows, hasRows: hasRows ?? false, rewritten: rewritten
                )
            }
        }

        let relations: [Relation]
        let unobserved: String?
    }
}

extension StepLockCapture {
    /// The outcomes with the locks their ledger rows recorded, for steps this run applied in one block (the
    /// block cannot return them): one round trip for the whole run. A failed read leaves the outcomes as they are,
    /// since the ledger keeps the locks anyway.
    func attachRecorded(to outcomes: [StepOutcome], using transaction: RunTransaction, logger: Logger) async -> [StepOutcome] {
        let missing = outcomes.indices.filter { outcomes[$0].locks == nil && [.applied, .healed].contains(outcomes[$0].status) }
        guard !missing.isEmpty else { return outcomes }
        let ids = String(decoding: (try? JSONEncoder().encode(missing.map { outcomes[$0].id })) ?? Data("[]".utf8), as: UTF8.self)
        let rows: [SessionRow]
        do {
            rows = try await transaction.perform(locked: false) { () async throws(DatabaseError) in
                try await transaction.session.execute("""
                    SELECT id, locks::text AS locks FROM \(schema.table("steps"))
                    WHERE id IN (SELECT jsonb_array_elements_text($1::jsonb)) AND locks IS NOT NULL
                    """, [.text(ids)])
            }
        } catch {
            logger.warning("could not read the steps' locks back from the ledger; the report goes without them",
                           metadata: ["robot.error": "\(error)"])
            return outcomes
        }
        var recorded: [String: StepLocks] = [:]
        for row in rows {
            guard let id = row.string("id"), let json = row.string("locks") else { continue }
            recorded[id] = StepLocks(ledgerJSON: json)
        }
        var attached = outcomes
        for index in missing { attached[index].locks = recorded[outcomes[index].id] }
        return attached
    }
}

/// What a step run statement by statement held after each statement, for runs that trace (`robot verify
/// --with-data`): which statement first held each lock, and so how long it was held until the step committed.
struct LockTrace {
    private struct Key: Hashable {
        let schema: String
        let relation: String
        let mode: String
    }

    private var firstHeld: [Key: (statement: Int, started: ContinuousClock.Instant)] = [:]

    /// Reads the locks held after statement `index` (0-based), which started at `started`.
    mutating func observe(statement index: Int, started: ContinuousClock.Instant, on session: DatabaseSession) async throws(DatabaseError) {
        for row in try await session.execute(StepLockCapture.heldLocksQuery) {
            guard let schema = row.string("schema"), let relation = row.string("relation"), let mode = row.string("mode") else { continue }
            let key = Key(schema: schema, relation: relation, mode: mode)
            if firstHeld[key] == nil { firstHeld[key] = (index, started) }
        }
    }

    /// `locks` with, for each relation, the statement that first held its strongest mode and how long that mode
    /// was held until `committed`.
    func applied(to locks: StepLocks?, committed: ContinuousClock.Instant) -> StepLocks? {
        guard var traced = locks else { return nil }
        for index in traced.relations.indices {
            let relation = traced.relations[index]
            guard let mode = relation.strongestMode,
                  let first = firstHeld[Key(schema: relation.schema, relation: relation.relation, mode: mode.rawValue)] else { continue }
            traced.relations[index].statement = first.statement + 1
            traced.relations[index].heldMilliseconds = (committed - first.started).milliseconds
        }
        return traced
    }
}
