import MaintenanceRobot
import RobotSQL

/// The NOT NULL checks the catalogue adds (`CHECK (column IS NOT NULL)`), so that a `SET NOT NULL` after a validated
/// one, which PostgreSQL then does without a scan, is not reported.
struct NotNullConstraints {
    /// Added NOT VALID and not validated yet: constraint name → `table.column`.
    private var pending: [String: String] = [:]
    /// `table.column` a validated check proves NOT NULL.
    private var validated: Set<String> = []

    mutating func add(_ name: String?, column: String, on table: String, isValid: Bool) {
        if isValid {
            validated.insert("\(table).\(column)")
        } else if let name {
            pending[name] = "\(table).\(column)"
        }
    }

    mutating func validate(_ name: String, on table: String) {
        guard let column = pending[name], column.hasPrefix("\(table).") else { return }
        validated.insert(column)
    }

    func proves(_ column: String, on table: String) -> Bool {
        validated.contains("\(table).\(column)")
    }
}

/// The lock rules: statements that block traffic on a table that is already there (created by an earlier step, or
/// not by this catalogue at all), each finding naming the lock PostgreSQL takes and whether it rewrites the table.
extension StatementChecker {
    /// Functions whose value differs per row: a column default that calls one is filled by rewriting the table.
    private static let volatileFunctions: Set<String> = [
        "clock_timestamp", "timeofday", "random", "gen_random_uuid", "uuid_generate_v1", "uuid_generate_v1mc",
        "uuid_generate_v4", "nextval", "txid_current", "pg_current_xact_id",
    ]

    /// Whether `table` was there before this step: no traffic waits on a table the step itself created.
    func isLive(_ table: String) -> Bool {
        !createdInStep.contains(table)
    }

    /// Reports `rule` at `token` when `effect.relation` is live: `<what> <relation>, which is there before this step,
    /// takes <mode><extra>: <what waits>; <rewrite>`.
    private mutating func reportLock(_ rule: Rule, _ what: String, _ effect: LockEffect, extra: String = "", at token: SQLToken, _ context: Context) {
        guard isLive(effect.relation) else { return }
        let message = "\(what) \(effect.relation), which is there before this step, \(effect.takes)\(extra): \(effect.consequence)"
        findings.append(Finding(rule: rule, message: message, location: token.start, comments: context.comments, lock: effect))
    }

    // MARK: - CREATE INDEX

    /// `CREATE [UNIQUE] INDEX [CONCURRENTLY] [IF NOT EXISTS] [name] ON [ONLY] table …`, `from` just past CONCURRENTLY.
    mutating func checkIndexBuild(_ view: TokenView, from index: Int, concurrently: SQLToken?, hasIfNotExists: Bool, _ context: Context) {
        guard let on = view.firstTopLevel(from: index, words: "ON") else { return }
        let tableStart = view.isWord(on + 1, "ONLY") ? on + 2 : on + 1
        guard let (table, _) = view.qualifiedName(at: tableStart) else { return }
        if let concurrently {
            if hasIfNotExists { checkConcurrentBuildIsAlone(at: concurrently, context) }
            return
        }
        reportLock(.indexWithoutConcurrently, "CREATE INDEX on", LockEffect(relation: table, mode: .share, rewritesTable: false),
                   extra: " until the index is built", at: view.tokens[0], context)
    }

    /// `CREATE INDEX CONCURRENTLY IF NOT EXISTS` relies on the robot's repair after a crash, which it makes only in a
    /// step of index builds alone.
    private mutating func checkConcurrentBuildIsAlone(at concurrently: SQLToken, _ context: Context) {
        guard !step.runsInTransaction, !context.isInDoBlock, ConcurrentIndexRepair(step) == nil else { return }
        report(.concurrentlyIfNotExists, """
            CREATE INDEX CONCURRENTLY IF NOT EXISTS is not idempotent after a crash on its own: a build that is interrupted \
            leaves an INVALID index of that name, which IF NOT EXISTS then takes for done, so the index never becomes usable. \
            The robot drops such an index before the step and requires a valid one after it only in a step that does \
            nothing but build indexes concurrently, and this step does more
            """, at: concurrently, context)
    }

    // MARK: - ALTER TABLE

    /// `ADD [CONSTRAINT name] FOREIGN KEY … | CHECK (…)` without `NOT VALID`; records NOT NULL checks.
    mutating func checkConstraintLock(_ view: TokenView, _ action: Range<Int>, table: String, _ context: Context) {
        var index = action.lowerBound + 1
        var name: String?
        if view.isWord(index, "CONSTRAINT"), index + 1 < action.upperBound {
            name = TokenView.normalised(view.tokens[index + 1])
            index += 2
        }
        let isNotValid = view.firstTopLevel(from: index, words: "NOT", "VALID").map { $0 < action.upperBound } ?? false
        if view.isWord(index, "CHECK"), let column = Self.notNullColumn(view, checkAt: index) {
            constraints.add(name, column: column, on: table, isValid: !isNotValid)
        }
        guard !isNotValid else { return }
        let add = view.tokens[action.lowerBound]
        if view.matches(index, "FOREIGN", "KEY") {
            reportLock(.constraintWithoutNotValid, "ADD FOREIGN KEY on",
                       LockEffect(relation: table, mode: .shareRowExclusive, rewritesTable: false),
                       extra: " (and on the table it references) while it checks every row", at: add, context)
        } else if view.isWord(index, "CHECK") {
            reportLock(.constraintWithoutNotValid, "ADD CHECK on", LockEffect(relation: table, mode: .accessExclusive, rewritesTable: false),
                       extra: " while it checks every row", at: add, context)
        }
    }

    /// The column of `CHECK (column IS NOT NULL)` at `check`, if the check is exactly that.
    private static func notNullColumn(_ view: TokenView, checkAt check: Int) -> String? {
        guard check + 6 < view.tokens.count, view.tokens[check + 1].text == "(", TokenView.isName(view.tokens[check + 2]),
              view.matches(check + 3, "IS", "NOT", "NULL"), view.tokens[check + 6].text == ")" else { return nil }
        return TokenView.normalised(view.tokens[check + 2])
    }

    /// `ALTER [COLUMN] column SET NOT NULL | [SET DATA] TYPE type`.
    mutating func checkAlterColumnLock(_ view: TokenView, _ action: Range<Int>, table: String, _ context: Context) {
        var index = action.lowerBound + 1
        if view.isWord(index, "COLUMN") { index += 1 }
        guard index < action.upperBound, TokenView.isName(view.tokens[index]) else { return }
        let column = TokenView.normalised(view.tokens[index])
        index += 1
        if view.matches(index, "SET", "NOT", "NULL") {
            guard !constraints.proves(column, on: table) else { return }
            reportLock(.setNotNull, "SET NOT NULL of \(column) on", LockEffect(relation: table, mode: .accessExclusive, rewritesTable: false),
                       extra: " while it checks every row for NULL", at: view.tokens[index], context)
        } else if view.isWord(index, "TYPE") || view.matches(index, "SET", "DATA", "TYPE") {
            let type = view.isWord(index, "TYPE") ? index : index + 2
            reportLock(.alterColumnType, "ALTER COLUMN \(column) TYPE on", LockEffect(relation: table, mode: .accessExclusive, rewritesTable: nil),
                       at: view.tokens[type], context)
        }
    }

    /// `ADD COLUMN … DEFAULT <volatile>`, or a serial, identity or generated column: each row gets its own value,
    /// written by a rewrite of the table.
    mutating func checkVolatileDefault(
        _ view: TokenView, _ definitionRange: Range<Int>, column: SQLToken, definition: ColumnDefinition, table: String, _ context: Context
    ) {
        let volatileCall = definitionRange.first { index in
            index + 1 < definitionRange.upperBound && view.tokens[index + 1].text == "("
                && view.tokens[index].kind == .word && Self.volatileFunctions.contains(view.tokens[index].value.lowercased())
        }
        let cause: String
        if let volatileCall, view.firstTopLevel(from: definitionRange.lowerBound, words: "DEFAULT").map({ $0 < volatileCall }) == true {
            cause = "with DEFAULT \(view.tokens[volatileCall].value.lowercased())(…), a volatile default,"
        } else if definition.isFilledAutomatically {
            cause = "as a serial, identity or generated column, which computes a value for every row,"
        } else {
            return
        }
        reportLock(.volatileDefault, "ADD COLUMN \(TokenView.normalised(column)) \(cause) on",
                   LockEffect(relation: table, mode: .accessExclusive, rewritesTable: true), at: column, context)
    }

    // MARK: - Maintenance and LOCK

    /// `CLUSTER [table]`, `VACUUM (FULL …) | VACUUM FULL [tables]`, `REINDEX … without CONCURRENTLY`.
    mutating func checkMaintenanceLock(_ view: TokenView, _ context: Context) {
        let head = view.tokens[0]
        if head.isWord("CLUSTER") {
            guard let table = Self.firstName(view, from: 1, skipping: ["VERBOSE"]) else {
                report(.cluster, "CLUSTER without a table rewrites every table clustered before, each under ACCESS EXCLUSIVE (AccessExclusiveLock): every query on it waits", at: head, context)
                return
            }
            reportLock(.cluster, "CLUSTER", LockEffect(relation: table, mode: .accessExclusive, rewritesTable: true), at: head, context)
        } else if head.isWord("VACUUM") {
            let options = view.tokens.count > 1 && view.tokens[1].text == "(" ? view.tokens[2..<view.closingParenthesis(of: 1)] : []
            guard view.isWord(1, "FULL") || options.contains(where: { $0.isWord("FULL") }) else { return }
            let tables = Self.vacuumTables(view)
            guard !tables.isEmpty else {
                report(.vacuumFull, "VACUUM FULL without a table rewrites every table of the database, each under ACCESS EXCLUSIVE (AccessExclusiveLock): every query on it waits", at: head, context)
                return
            }
            for table in tables {
                reportLock(.vacuumFull, "VACUUM FULL", LockEffect(relation: table, mode: .accessExclusive, rewritesTable: true), at: head, context)
            }
        } else if head.isWord("REINDEX"), view.firstTopLevel(words: "CONCURRENTLY") == nil {
            checkReindex(view, context)
        }
    }

    private mutating func checkReindex(_ view: TokenView, _ context: Context) {
        var index = 1
        if index < view.tokens.count, view.tokens[index].text == "(" { index = view.closingParenthesis(of: index) + 1 }
        let head = view.tokens[0]
        let target = index < view.tokens.count ? view.tokens[index].value : ""
        guard let name = view.qualifiedName(at: index + 1)?.name, ["TABLE", "INDEX"].contains(target) else {
            report(.reindexWithoutConcurrently, "REINDEX \(target) rebuilds every index it covers, each under ACCESS EXCLUSIVE (AccessExclusiveLock) with SHARE (ShareLock) on its table: writes wait, and reads that use the index", at: head, context)
            return
        }
        if target == "TABLE" {
            reportLock(.reindexWithoutConcurrently, "REINDEX TABLE", LockEffect(relation: name, mode: .share, rewritesTable: false),
                       extra: " and ACCESS EXCLUSIVE on each of its indexes while it rebuilds them, so reads that use them wait too",
                       at: head, context)
        } else {
            reportLock(.reindexWithoutConcurrently, "REINDEX INDEX", LockEffect(relation: name, mode: .accessExclusive, rewritesTable: false),
                       extra: " (an index) and SHARE (ShareLock) on its table while it rebuilds it", at: head, context)
        }
    }

    /// `LOCK [TABLE] [ONLY] name [*] [, …] [IN mode MODE] [NOWAIT]`.
    mutating func checkLockTable(_ view: TokenView, _ context: Context) {
        var index = view.isWord(1, "TABLE") ? 2 : 1
        let modeStart = view.firstTopLevel(from: index, words: "IN")
        let modeEnd = modeStart.flatMap { view.firstTopLevel(from: $0, words: "MODE") }
        var mode = LockMode.accessExclusive
        if let modeStart, let modeEnd, let named = LockMode(sqlName: view.tokens[(modeStart + 1)..<modeEnd].map(\.value).joined(separator: " ")) {
            mode = named
        }
        let end = modeStart ?? view.tokens.count
        for table in view.splitAtTopLevelCommas(index..<end) {
            index = view.isWord(table.lowerBound, "ONLY") ? table.lowerBound + 1 : table.lowerBound
            guard let (name, _) = view.qualifiedName(at: index) else { continue }
            reportLock(.lockTable, "LOCK TABLE", LockEffect(relation: name, mode: mode, rewritesTable: false),
                       extra: " until the step commits", at: view.tokens[0], context)
        }
    }

    /// The tables of `VACUUM [FULL] [(options)] table [(columns)], …`.
    private static func vacuumTables(_ view: TokenView) -> [String] {
        var index = 1
        if index < view.tokens.count, view.tokens[index].text == "(" { index = view.closingParenthesis(of: index) + 1 }
        while view.isWord(index, "FULL") || view.isWord(index, "FREEZE") || view.isWord(index, "VERBOSE") || view.isWord(index, "ANALYZE") {
            index += 1
        }
        guard index < view.tokens.count else { return [] }
        return view.splitAtTopLevelCommas(index..<view.tokens.count).compactMap { view.qualifiedName(at: $0.lowerBound)?.name }
    }

    /// The first name from `start`, past the words in `skipping`.
    private static func firstName(_ view: TokenView, from start: Int, skipping: Set<String>) -> String? {
        var index = start
        while index < view.tokens.count, view.tokens[index].kind == .word, skipping.contains(view.tokens[index].value) { index += 1 }
        if index < view.tokens.count, view.tokens[index].text == "(" { index = view.closingParenthesis(of: index) + 1 }
        return view.qualifiedName(at: index)?.name
    }
}
