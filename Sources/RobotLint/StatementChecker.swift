import MaintenanceRobot
import RobotSQL

/// Checks the statements of one step in order, top level and inside DO blocks, remembering what earlier
/// statements of the step did (objects dropped, lock_timeout disabled).
struct StatementChecker {
    let step: CatalogueStep
    var findings: [Finding] = []
    private(set) var createdColumns: [DeclaredColumn] = []
    private(set) var addedColumns: [DeclaredColumn] = []
    private var droppedObjects: Set<String> = []
    private var lockTimeoutDisabledAt: SourceLocation?
    /// Tables and indexes this step created: no traffic waits on them yet.
    var createdInStep: Set<String> = []
    /// The NOT NULL checks of this and earlier steps, for `set-not-null`.
    var constraints: NotNullConstraints

    /// Where a statement sits: whether a guard protects it, whether it is inside a DO block.
    struct Context {
        var isGuarded = false
        var isInDoBlock = false
        var comments: [SQLToken] = []
    }

    init(step: CatalogueStep, constraints: NotNullConstraints = NotNullConstraints()) {
        self.step = step
        self.constraints = constraints
    }

    mutating func report(_ rule: Rule, _ message: String, at token: SQLToken, _ context: Context) {
        findings.append(Finding(rule: rule, message: message, location: token.start, comments: context.comments))
    }

    /// Checks one statement (its significant tokens).
    mutating func check(_ view: TokenView, _ context: Context) {
        guard let head = view.tokens.first else { return }
        switch head.value {
        case "CREATE": checkCreate(view, context)
        case "ALTER": checkAlter(view, context)
        case "DROP": checkDrop(view, context)
        case "INSERT": checkInsert(view, context)
        case "UPDATE", "DELETE": checkUnfiltered(view, context)
        case "WITH": checkWith(view, context)
        case "TRUNCATE":
            report(.truncate, "TRUNCATE empties the table wherever the step runs", at: head, context)
            checkLockTimeout(view, context)
        case "BEGIN", "START", "COMMIT", "END", "ROLLBACK", "ABORT", "SAVEPOINT", "RELEASE", "PREPARE":
            checkTransactionControl(view, context)
        case "VACUUM", "REINDEX", "CLUSTER":
            checkMaintenance(view, context)
            checkMaintenanceLock(view, context)
        case "SET", "RESET", "SELECT":
            trackLockTimeout(view)
        case "LOCK":
            checkLockTimeout(view, context)
            checkLockTable(view, context)
        default: break
        }
    }

    // MARK: - CREATE

    private static let ifNotExistsKinds: Set<String> = ["TABLE", "INDEX", "SEQUENCE", "SCHEMA", "EXTENSION", "MATERIALIZED VIEW", "FOREIGN TABLE", "STATISTICS", "SERVER", "COLLATION"]
    private static let orReplaceKinds: Set<String> = ["VIEW", "FUNCTION", "PROCEDURE", "TRIGGER", "RULE", "AGGREGATE", "CONSTRAINT TRIGGER", "EVENT TRIGGER"]
    private static let guardKinds: Set<String> = ["TYPE", "DOMAIN", "POLICY", "ROLE", "USER", "GROUP", "CAST", "OPERATOR", "PUBLICATION", "SUBSCRIPTION", "CONVERSION"]
    private static let createModifiers: Set<String> = ["TEMP", "TEMPORARY", "UNLOGGED", "GLOBAL", "LOCAL", "UNIQUE", "RECURSIVE", "TRUSTED", "PROCEDURAL", "DEFAULT"]

    private mutating func checkCreate(_ view: TokenView, _ context: Context) {
        var index = 1
        let isOrReplace = view.matches(1, "OR", "REPLACE")
        if isOrReplace { index = 3 }
        var isTemporary = false
        while index < view.tokens.count, view.tokens[index].kind == .word, Self.createModifiers.contains(view.tokens[index].value) {
            isTemporary = isTemporary || view.isWord(index, "TEMP") || view.isWord(index, "TEMPORARY")
            index += 1
        }
        guard index < view.tokens.count else { return }
        var kind = view.tokens[index].value
        if ["MATERIALIZED", "FOREIGN", "CONSTRAINT", "EVENT"].contains(kind), index + 1 < view.tokens.count {
            kind += " " + view.tokens[index + 1].value
            index += 1
        }
        index += 1
        var concurrently: SQLToken?
        if view.isWord(index, "CONCURRENTLY") {
            concurrently = view.tokens[index]
            index += 1
        }
        let hasIfNotExists = view.matches(index, "IF", "NOT", "EXISTS")
        let qualifiedName = view.qualifiedName(at: hasIfNotExists ? index + 3 : index)
        let name = qualifiedName?.name
        let head = view.tokens[0]
        if kind == "TABLE", let qualifiedName { recordCreatedColumns(view, openingAt: qualifiedName.next, table: qualifiedName.name, context) }
        if ["TABLE", "MATERIALIZED VIEW", "INDEX"].contains(kind), let name, !view.isWord(hasIfNotExists ? index + 3 : index, "ON") {
            createdInStep.insert(name)
        }
        if kind == "INDEX" {
            if let concurrently { checkNonTransactional("CREATE INDEX CONCURRENTLY", at: concurrently, context) }
            if concurrently == nil { checkLockTimeout(view, context) }
            checkIndexBuild(view, from: index, concurrently: concurrently, hasIfNotExists: hasIfNotExists, context)
        }
        if kind == "TRIGGER" { checkLockTimeout(view, context) }
        guard !context.isGuarded, !isTemporary else { return }
        let statement = "CREATE \(kind)"
        if Self.ifNotExistsKinds.contains(kind), !hasIfNotExists {
            let unnamed = kind == "INDEX" && view.isWord(index, "ON")
            report(.createWithoutIfNotExists, unnamed
                ? "CREATE INDEX without a name creates another index every time the step runs"
                : "\(statement) without IF NOT EXISTS fails when the step runs again", at: head, context)
        } else if Self.orReplaceKinds.contains(kind), !isOrReplace, !wasDropped(kind, name) {
            report(.createWithoutOrReplace, "\(statement) without OR REPLACE (or a DROP \(kind) IF EXISTS before it) fails when the step runs again", at: head, context)
        } else if Self.guardKinds.contains(kind), !wasDropped(kind, name) {
            report(.createWithoutGuard, "\(statement) without a guard fails when the step runs again", at: head, context)
        }
    }

    private func wasDropped(_ kind: String, _ name: String?) -> Bool {
        guard let name else { return false }
        return droppedObjects.contains("\(kind) \(name)")
    }

    /// Records the columns of `CREATE TABLE name (…)`, whose list opens at `open`.
    private mutating func recordCreatedColumns(_ view: TokenView, openingAt open: Int, table: String, _ context: Context) {
        guard open < view.tokens.count, view.tokens[open].text == "(" else { return }
        let close = view.closingParenthesis(of: open)
        let elementWords: Set<String> = ["CONSTRAINT", "PRIMARY", "UNIQUE", "CHECK", "FOREIGN", "EXCLUDE", "LIKE"]
        for element in view.splitAtTopLevelCommas(open + 1..<close) {
            let first = view.tokens[element.lowerBound]
            guard TokenView.isName(first), !(first.kind == .word && elementWords.contains(first.value)) else { continue }
            createdColumns.append(DeclaredColumn(
                table: table, column: TokenView.normalised(first),
                definition: ColumnDefinitionParser.parse(view, element.lowerBound + 1..<element.upperBound),
                place: step.describe(first.start), location: first.start, comments: context.comments
            ))
        }
    }

    // MARK: - ALTER

    private mutating func checkAlter(_ view: TokenView, _ context: Context) {
        if view.matches(1, "SYSTEM") {
            checkNonTransactional("ALTER SYSTEM", at: view.tokens[0], context)
            return
        }
        if view.matches(1, "TYPE"), let addValue = view.firstTopLevel(words: "ADD", "VALUE"),
           !view.matches(addValue + 2, "IF", "NOT", "EXISTS"), !context.isGuarded {
            report(.addValueWithoutIfNotExists, "ALTER TYPE … ADD VALUE without IF NOT EXISTS fails when the step runs again", at: view.tokens[addValue], context)
        }
        guard view.matches(1, "TABLE") else {
            if let rename = view.firstTopLevel(words: "RENAME"), !context.isGuarded {
                report(.renameWithoutGuard, "RENAME fails when the step runs again (the old name is gone)", at: view.tokens[rename], context)
            }
            return
        }
        checkLockTimeout(view, context)
        var index = 2
        if view.matches(index, "IF", "EXISTS") { index += 2 }
        if view.isWord(index, "ONLY") { index += 1 }
        guard let (table, afterName) = view.qualifiedName(at: index) else { return }
        var actionsStart = afterName
        if actionsStart < view.tokens.count, view.tokens[actionsStart].text == "*" { actionsStart += 1 }
        for action in view.splitAtTopLevelCommas(actionsStart..<view.tokens.count) {
            checkAlterTableAction(view, action, table: table, context)
        }
    }

    private mutating func checkAlterTableAction(_ view: TokenView, _ action: Range<Int>, table: String, _ context: Context) {
        let start = action.lowerBound
        let keyword = view.tokens[start]
        if keyword.isWord("ADD") {
            checkAddition(view, action, table: table, context)
        } else if keyword.isWord("DROP") {
            var index = start + 1
            let isConstraint = view.isWord(index, "CONSTRAINT")
            if isConstraint || view.isWord(index, "COLUMN") { index += 1 }
            if !isConstraint {
                report(.dropColumn, "DROP COLUMN deletes the column's data wherever the step runs", at: keyword, context)
            }
            if !view.matches(index, "IF", "EXISTS"), !context.isGuarded {
                report(.dropWithoutIfExists, "ALTER TABLE … DROP \(isConstraint ? "CONSTRAINT" : "COLUMN") without IF EXISTS fails when the step runs again", at: keyword, context)
            }
        } else if keyword.isWord("RENAME"), !context.isGuarded {
            report(.renameWithoutGuard, "RENAME fails when the step runs again (the old name is gone)", at: keyword, context)
        } else if keyword.isWord("ALTER") {
            checkAlterColumnLock(view, action, table: table, context)
        } else if keyword.isWord("VALIDATE"), view.isWord(start + 1, "CONSTRAINT"), start + 2 < action.upperBound {
            constraints.validate(TokenView.normalised(view.tokens[start + 2]), on: table)
        }
    }

    private static let constraintStarts: Set<String> = ["CONSTRAINT", "PRIMARY", "UNIQUE", "CHECK", "FOREIGN", "EXCLUDE"]

    private mutating func checkAddition(_ view: TokenView, _ action: Range<Int>, table: String, _ context: Context) {
        let add = view.tokens[action.lowerBound]
        var index = action.lowerBound + 1
        if index < action.upperBound, view.tokens[index].kind == .word, Self.constraintStarts.contains(view.tokens[index].value) {
            if !context.isGuarded {
                report(.addConstraintWithoutGuard, "ADD \(view.tokens[index].value) without a guard fails (or adds a duplicate) when the step runs again", at: add, context)
            }
            checkConstraintLock(view, action, table: table, context)
            return
        }
        if view.isWord(index, "COLUMN") { index += 1 }
        let hasIfNotExists = view.matches(index, "IF", "NOT", "EXISTS")
        if hasIfNotExists { index += 3 }
        guard index < action.upperBound else { return }
        let nameToken = view.tokens[index]
        let definition = ColumnDefinitionParser.parse(view, index + 1..<action.upperBound)
        checkVolatileDefault(view, index + 1..<action.upperBound, column: nameToken, definition: definition, table: table, context)
        if !hasIfNotExists, !context.isGuarded {
            report(.addColumnWithoutIfNotExists, "ADD COLUMN without IF NOT EXISTS fails when the step runs again", at: add, context)
        }
        if definition.isNotNull, definition.defaultValue == nil, !definition.isFilledAutomatically,
           let notNull = view.firstTopLevel(from: index + 1, words: "NOT", "NULL").flatMap({ $0 < action.upperBound ? view.tokens[$0] : nil }) {
            report(.notNullWithoutDefault, "ADD COLUMN … NOT NULL without DEFAULT fails on every table that already has rows", at: notNull, context)
        }
        if hasIfNotExists || context.isGuarded {
            addedColumns.append(DeclaredColumn(
                table: table, column: TokenView.normalised(nameToken), definition: definition,
                place: step.describe(nameToken.start), location: nameToken.start, comments: context.comments
            ))
        }
    }

    // MARK: - DROP

    private mutating func checkDrop(_ view: TokenView, _ context: Context) {
        guard view.tokens.count > 1, !view.matches(1, "OWNED") else { return }
        var index = 1
        var kind = view.tokens[1].value
        if ["MATERIALIZED", "FOREIGN", "EVENT"].contains(kind), view.tokens.count > 2 {
            kind += " " + view.tokens[2].value
            index += 1
        }
        index += 1
        if view.isWord(index, "CONCURRENTLY") {
            checkNonTransactional("DROP \(kind) CONCURRENTLY", at: view.tokens[index], context)
            index += 1
        }
        if kind == "DATABASE" || kind == "TABLESPACE" {
            checkNonTransactional("DROP \(kind)", at: view.tokens[0], context)
        }
        let hasIfExists = view.matches(index, "IF", "EXISTS")
        if let name = view.qualifiedName(at: hasIfExists ? index + 2 : index)?.name, hasIfExists {
            droppedObjects.insert("\(kind) \(name)")
            if kind == "TRIGGER" { droppedObjects.insert("CONSTRAINT TRIGGER \(name)") }
        }
        if kind == "TABLE" {
            report(.dropTable, "DROP TABLE deletes the table and its data wherever the step runs", at: view.tokens[0], context)
            checkLockTimeout(view, context)
        }
        if !hasIfExists, !context.isGuarded {
            report(.dropWithoutIfExists, "DROP \(kind) without IF EXISTS fails when the step runs again", at: view.tokens[0], context)
        }
    }

    // MARK: - Data

    private mutating func checkInsert(_ view: TokenView, _ context: Context) {
        if let onConflict = view.firstTopLevel(words: "ON", "CONFLICT") {
            if let doUpdate = view.firstTopLevel(from: onConflict, words: "DO", "UPDATE") {
                report(.upsertOverwrites, "ON CONFLICT DO UPDATE re-asserts the row, overwriting what admins changed", at: view.tokens[doUpdate + 1], context)
            }
            return
        }
        guard view.firstTopLevel(words: "NOT", "EXISTS") == nil, !context.isGuarded else { return }
        report(.insertWithoutOnConflict, "INSERT without ON CONFLICT or a NOT EXISTS guard inserts the rows again (or fails) when the step runs again", at: view.tokens[0], context)
    }

    private mutating func checkUnfiltered(_ view: TokenView, _ context: Context) {
        guard view.firstTopLevel(words: "WHERE") == nil else { return }
        let head = view.tokens[0]
        if head.isWord("DELETE") {
            report(.deleteWithoutWhere, "DELETE without WHERE deletes every row wherever the step runs", at: head, context)
        } else {
            report(.updateWithoutWhere, "UPDATE without WHERE resets every row wherever the step runs, overwriting what admins changed", at: head, context)
        }
    }

    /// `WITH … INSERT|UPDATE|DELETE`: the main statement after the common table expressions.
    private mutating func checkWith(_ view: TokenView, _ context: Context) {
        let mainWords: Set<String> = ["INSERT", "UPDATE", "DELETE", "SELECT", "MERGE"]
        guard let main = view.firstTopLevel(from: 1, where: { $0.kind == .word && mainWords.contains($0.value) }) else { return }
        check(TokenView(view.tokens[main...]), context)
    }

    // MARK: - Transactions and locks

    private mutating func checkTransactionControl(_ view: TokenView, _ context: Context) {
        let head = view.tokens[0]
        guard StatementEffects.isTransactionControl(view) else { return }
        if context.isInDoBlock {
            // COMMIT and ROLLBACK in a DO block are legal when no transaction block surrounds it.
            guard step.runsInTransaction else { return }
            report(.transactionControl, "\(head.value) in a DO block fails inside the step's transaction", at: head, context)
            return
        }
        report(.transactionControl, "\(head.value) controls the transaction the robot manages; the step's own transaction breaks", at: head, context)
    }

    private mutating func checkMaintenance(_ view: TokenView, _ context: Context) {
        let head = view.tokens[0]
        if head.isWord("VACUUM") {
            checkNonTransactional("VACUUM", at: head, context)
        } else if let concurrently = view.firstTopLevel(words: "CONCURRENTLY") {
            checkNonTransactional("REINDEX CONCURRENTLY", at: view.tokens[concurrently], context)
        } else if head.isWord("CLUSTER"), view.tokens.count == 1 {
            checkNonTransactional("CLUSTER without a table", at: head, context)
        } else {
            checkLockTimeout(view, context)
        }
    }

    private mutating func checkNonTransactional(_ statement: String, at token: SQLToken, _ context: Context) {
        if context.isInDoBlock {
            report(.notAllowedInTransaction, "\(statement) cannot run inside a DO block (it is a transaction block)", at: token, context)
        } else if step.runsInTransaction {
            report(.notAllowedInTransaction, "\(statement) cannot run inside a transaction block, and the step runs in one", at: token, context)
        }
    }

    /// Notices `SET lock_timeout = 0`, `RESET lock_timeout|ALL`, `set_config('lock_timeout', '0', …)`.
    private mutating func trackLockTimeout(_ view: TokenView) {
        let tokens = view.tokens
        let head = tokens[0]
        if head.isWord("RESET"), view.isWord(1, "lock_timeout") || view.isWord(1, "ALL") {
            lockTimeoutDisabledAt = head.start
        } else if head.isWord("SET") {
            let nameIndex = view.isWord(1, "SESSION") || view.isWord(1, "LOCAL") ? 2 : 1
            guard view.isWord(nameIndex, "lock_timeout"), nameIndex + 2 < tokens.count else { return }
            lockTimeoutDisabledAt = Self.disables(tokens[nameIndex + 2]) ? head.start : nil
        } else if let call = view.firstTopLevel(words: "set_config"), call + 5 < tokens.count,
                  tokens[call + 2].kind == .string, tokens[call + 2].value.lowercased() == "lock_timeout" {
            lockTimeoutDisabledAt = Self.disables(tokens[call + 4]) ? tokens[call].start : nil
        }
    }

    /// Whether a lock_timeout value turns the timeout off: `0`, `'0'`, `'0ms'`, `DEFAULT`.
    private static func disables(_ value: SQLToken) -> Bool {
        if value.isWord("DEFAULT") { return true }
        guard value.kind == .number || value.kind == .string else { return false }
        let digits = value.value.drop { $0.isWhitespace }.prefix { $0.isNumber || $0 == "." }
        return !digits.isEmpty && digits.allSatisfy { $0 == "0" || $0 == "." }
    }

    private mutating func checkLockTimeout(_ view: TokenView, _ context: Context) {
        guard let disabledAt = lockTimeoutDisabledAt else { return }
        let statement = view.tokens.prefix(2).filter { $0.kind == .word }.map(\.value).joined(separator: " ")
        report(.lockTimeoutDisabled, "\(statement) takes a heavy lock while lock_timeout is off (turned off at \(step.describe(disabledAt))); it may queue every query on the table behind it", at: view.tokens[0], context)
    }
}
