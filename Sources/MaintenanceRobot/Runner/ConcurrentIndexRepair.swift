import Logging
import RobotSQL

/// Makes a `-- robot:no-transaction` step of `CREATE INDEX CONCURRENTLY` idempotent after a crash.
///
/// A concurrent build that is interrupted (the robot killed, the connection lost, the statement cancelled) or that
/// fails leaves an INVALID index: writes keep maintaining it, queries never use it, and `IF NOT EXISTS` takes it for
/// done. So before such a step the robot drops an INVALID index of each name the step builds (`DROP INDEX
/// CONCURRENTLY IF EXISTS`, which blocks no traffic), and after it requires each index to be there and valid.
///
/// Only a step that does nothing but build indexes concurrently (and change settings) is repaired: in a step with
/// other statements, a later statement may rename or drop the index on purpose (`ADD CONSTRAINT … USING INDEX`).
/// `robot lint` says so (`concurrently-if-not-exists`).
package struct ConcurrentIndexRepair: Sendable {
    /// One `CREATE INDEX CONCURRENTLY name ON table` of the step.
    struct Build: Sendable, Hashable {
        /// The 0-based statement in the step.
        let statement: Int
        /// The index name as written (quoted or not): the index lives in the table's schema.
        let index: String
        /// The index name as PostgreSQL stores it (folded to lower case unless quoted).
        let storedName: String
        /// The table as written, schema-qualified or not.
        let table: String
    }

    let builds: [Build]

    /// The repair of `step`; `nil` unless the step runs without a transaction and every statement is a named
    /// `CREATE INDEX CONCURRENTLY` or a `SET`/`RESET`, at least one of them a build.
    package init?(_ step: CatalogueStep) {
        guard !step.runsInTransaction else { return nil }
        var builds: [Build] = []
        for (index, statement) in step.statements.enumerated() {
            let view = TokenView(statement.tokens)
            if view.isWord(0, "SET") || view.isWord(0, "RESET") { continue }
            guard let build = Self.build(view, statement: index) else { return nil }
            builds.append(build)
        }
        guard !builds.isEmpty else { return nil }
        self.builds = builds
    }

    /// The named concurrent index build in `view`: `CREATE [UNIQUE] INDEX CONCURRENTLY [IF NOT EXISTS] name ON
    /// [ONLY] table`.
    static func build(_ view: TokenView, statement: Int) -> Build? {
        var index = 1
        guard view.isWord(0, "CREATE") else { return nil }
        if view.isWord(index, "UNIQUE") { index += 1 }
        guard view.matches(index, "INDEX", "CONCURRENTLY") else { return nil }
        index += 2
        if view.matches(index, "IF", "NOT", "EXISTS") { index += 3 }
        guard index < view.tokens.count, TokenView.isName(view.tokens[index]), !view.isWord(index, "ON") else { return nil }
        let nameToken = view.tokens[index]
        index += 1
        guard view.isWord(index, "ON") else { return nil }
        index += 1
        if view.isWord(index, "ONLY") { index += 1 }
        guard let (_, next) = view.qualifiedName(at: index) else { return nil }
        let table = view.tokens[index..<next].map { String($0.text) }.joined()
        return Build(statement: statement, index: String(nameToken.text), storedName: TokenView.normalised(nameToken), table: table)
    }

    /// Drops the INVALID index of each name the step builds, if there is one, so that the step builds it again.
    func dropInvalidIndexes(on session: DatabaseSession, logger: Logger) async throws(DatabaseError) {
        for build in builds {
            let rows = try await session.execute("""
                SELECT pg_catalog.format('%I.%I', n.nspname, ic.relname) AS name
                FROM pg_catalog.pg_class AS t
                JOIN pg_catalog.pg_namespace AS n ON n.oid = t.relnamespace
                JOIN pg_catalog.pg_index AS i ON i.indrelid = t.oid
                JOIN pg_catalog.pg_class AS ic ON ic.oid = i.indexrelid
                WHERE t.oid = pg_catalog.to_regclass($1) AND ic.oid = pg_catalog.to_regclass(pg_catalog.format('%I.', n.nspname) || $2)
                  AND NOT i.indisvalid
                """, [.text(build.table), .text(build.index)])
            for row in rows {
                guard let name = row.string("name") else { continue }
                logger.notice("dropping an INVALID index, left by a concurrent build that did not finish; the step builds it again",
                              metadata: ["robot.index": "\(name)", "robot.table": "\(build.table)"])
                try await session.execute("DROP INDEX CONCURRENTLY IF EXISTS \(name)")
            }
        }
    }

    /// Why the step must fail: the first index it builds that is not a valid index on its table after the step.
    func invalidAfterTheStep(on session: DatabaseSession) async throws(DatabaseError) -> (error: DatabaseError, statement: Int)? {
        for build in builds {
            let rows = try await session.execute("""
                SELECT i.indisvalid AS valid, i.indrelid = t.oid AS on_table
                FROM pg_catalog.pg_class AS t
                JOIN pg_catalog.pg_namespace AS n ON n.oid = t.relnamespace
                LEFT JOIN pg_catalog.pg_index AS i ON i.indexrelid = pg_catalog.to_regclass(pg_catalog.format('%I.', n.nspname) || $2)
                WHERE t.oid = pg_catalog.to_regclass($1)
                """, [.text(build.table), .text(build.index)])
            let valid = rows.first?.bool("valid")
            if valid == true && rows.first?.bool("on_table") == true { continue }
            let message = valid == false
                ? "index \(build.index) on \(build.table) is INVALID after the step: its concurrent build did not finish, so no query can use it"
                : "there is no index \(build.index) on \(build.table) after the step: the name belongs to another relation, so IF NOT EXISTS built nothing"
            let hint = valid == false
                ? "the next run drops it and builds it again; if it fails again, look for why the build failed (a unique index over duplicate values, a deadlock)"
                : "give the index a name no other relation has"
            return (DatabaseError(message: message, hint: hint), build.statement)
        }
        return nil
    }
}
