/// What a statement does beyond its own work, as far as its tokens show: whether it controls the
/// transaction around it, and whether it changes the session for whatever runs after it.
///
/// The catalogue refuses transaction control in a step that runs in a transaction, the runner restores its
/// session after a step that changes it, and the linter names both. A statement is read as the server would:
/// at its top level, and inside the PL/pgSQL bodies of `DO` blocks and of `CREATE PROCEDURE` (which may
/// `COMMIT` when called). What runs only when called cannot be seen: a `CALL` of a procedure created
/// elsewhere that commits, a function that runs `SET`.
package struct StatementEffects: Sendable {
    /// The first token of each statement that controls the transaction: `BEGIN`, `START TRANSACTION`,
    /// `COMMIT`, `END`, `ROLLBACK`, `ABORT`, `SAVEPOINT`, `RELEASE`, `PREPARE TRANSACTION`, or a `COMMIT` or
    /// `ROLLBACK` inside a `DO` block or procedure body.
    package private(set) var transactionControl: [SQLToken] = []
    /// Where the statement changes session state that outlives its transaction: a `SET` or `RESET` without
    /// `LOCAL` (also `SET ROLE`, `SET SESSION AUTHORIZATION`), or a `set_config(…, false)`, at its top level or
    /// in a `DO` block.
    package private(set) var sessionChanges: [SQLToken] = []
    /// Whether the statement itself is a `SET` or `RESET` of `lock_timeout`, `statement_timeout` or `ALL`, with
    /// or without `LOCAL`.
    package private(set) var setsTimeouts = false

    /// Reads the statement's tokens one at a time (a long seed is never held as an array), then the bodies of its
    /// `DO` block or procedure. Most statements are known by their first words: the rest of their tokens is read
    /// only when it may hold a body or a `set_config` call.
    package init(of statement: SQLStatement) {
        var head: [SQLToken] = []
        var bodies: [SQLToken] = []
        var pendingCall: [SQLToken]?
        var depth = 0
        let mayCallSetConfig = Self.contains("set_config", in: statement.sql)
        var lexer = SQLLexer(statement.region, origin: statement.regionStart)
        while let token = try? lexer.next() {
            guard !token.isComment else { continue }
            if head.count < 4 { head.append(token) }
            if token.kind == .dollarString { bodies.append(token) }
            if mayCallSetConfig {
                Self.collectCalls(token, into: &pendingCall, depth: &depth) { sessionChanges += Self.sessionChange(ofCall: $0) }
            } else if head.count == 4, !(head[0].isWord("DO") || head[0].isWord("CREATE")) {
                break
            }
        }
        let view = TokenView(head)
        if Self.isTransactionControl(view) { transactionControl.append(head[0]) }
        if Self.isSessionSet(view) { sessionChanges.append(head[0]) }
        setsTimeouts = (view.isWord(0, "SET") || view.isWord(0, "RESET"))
            && head.dropFirst().prefix(2).contains { $0.isWord("lock_timeout") || $0.isWord("statement_timeout") || $0.isWord("ALL") }
        if view.isWord(0, "DO") {
            readDoBlock(head: view, body: bodies.first)
        } else if view.isWord(0, "CREATE"), view.matches(1, "PROCEDURE") || view.matches(1, "OR", "REPLACE", "PROCEDURE") {
            for body in bodies {
                for statement in Self.plpgsqlStatements(in: body) where Self.isTransactionControl(statement) {
                    transactionControl.append(statement.tokens[0])
                }
            }
        }
    }

    /// Whether `text` contains `word`, ignoring ASCII case: a quick look before reading tokens.
    private static func contains(_ word: String, in text: String) -> Bool {
        let needle = Array(word.utf8)
        let bytes = Array(text.utf8)
        guard bytes.count >= needle.count else { return false }
        return (0...(bytes.count - needle.count)).contains { start in
            needle.indices.allSatisfy { ASCII.lowercased(bytes[start + $0]) == needle[$0] }
        }
    }

    /// The statements of a PL/pgSQL `DO` block: transaction control and session changes count as the step's own.
    private mutating func readDoBlock(head: TokenView, body: SQLToken?) {
        if let language = head.firstTopLevel(words: "LANGUAGE"), language + 1 < head.tokens.count,
           TokenView.normalised(head.tokens[language + 1]) != "plpgsql" {
            return
        }
        guard let body else { return }
        for statement in Self.plpgsqlStatements(in: body) {
            if Self.isTransactionControl(statement) { transactionControl.append(statement.tokens[0]) }
            if Self.isSessionSet(statement) { sessionChanges.append(statement.tokens[0]) }
            var pendingCall: [SQLToken]?
            var depth = 0
            for token in statement.tokens {
                Self.collectCalls(token, into: &pendingCall, depth: &depth) { sessionChanges += Self.sessionChange(ofCall: $0) }
            }
        }
    }

    /// The statements of a PL/pgSQL body, lexed at their real place in the file; none when the body does not lex.
    private static func plpgsqlStatements(in body: SQLToken) -> [TokenView] {
        guard let origin = body.bodyStart, let tokens = try? SQLLexer(body.value, origin: origin).tokens() else { return [] }
        return PLEventReader(tokens: tokens).events.compactMap { event in
            guard case .statement(let view, _) = event, !view.tokens.isEmpty else { return nil }
            return view
        }
    }

    /// Gathers each `set_config( … )` call, from its name to its closing parenthesis, and hands it to `found`.
    private static func collectCalls(_ token: SQLToken, into call: inout [SQLToken]?, depth: inout Int, found: ([SQLToken]) -> Void) {
        guard var tokens = call else {
            if token.isWord("set_config") { call = [token] }
            return
        }
        tokens.append(token)
        if token.kind == .punctuation, token.text == "(" { depth += 1 }
        if token.kind == .punctuation, token.text == ")" { depth -= 1 }
        if tokens.count == 2, !(token.kind == .punctuation && token.text == "(") {
            call = token.isWord("set_config") ? [token] : nil
            depth = 0
        } else if depth == 0 {
            found(tokens)
            call = nil
        } else {
            call = tokens
        }
    }

    /// The call's name token, unless its third argument is `true` (a setting local to the transaction).
    private static func sessionChange(ofCall tokens: [SQLToken]) -> [SQLToken] {
        let view = TokenView(tokens)
        let arguments = view.splitAtTopLevelCommas(2..<(view.tokens.count - 1))
        guard arguments.count == 3, arguments[2].count == 1, view.tokens[arguments[2].lowerBound].isWord("true") else { return [tokens[0]] }
        return []
    }

    /// Whether the statement controls the transaction around it.
    package static func isTransactionControl(_ statement: TokenView) -> Bool {
        guard let head = statement.tokens.first, head.kind == .word else { return false }
        switch head.value {
        case "BEGIN", "COMMIT", "END", "ROLLBACK", "ABORT", "SAVEPOINT", "RELEASE": return true
        case "START", "PREPARE": return statement.isWord(1, "TRANSACTION")
        default: return false
        }
    }

    /// Whether the statement is a `SET` or `RESET` that holds beyond the transaction: not `SET LOCAL`, and not
    /// `SET TRANSACTION` or `SET CONSTRAINTS`, which never do.
    package static func isSessionSet(_ statement: TokenView) -> Bool {
        if statement.isWord(0, "RESET") { return true }
        guard statement.isWord(0, "SET") else { return false }
        return !(statement.isWord(1, "LOCAL") || statement.isWord(1, "TRANSACTION") || statement.isWord(1, "CONSTRAINTS"))
    }
}
