import RobotSQL

/// A transactional step sent as ONE statement: a `DO` block that `EXECUTE`s each of the step's statements,
/// then what must commit with them (its ledger row).
///
/// A `DO` statement runs in a transaction of its own, so the step and its ledger row commit or vanish together
/// exactly as between `BEGIN` and `COMMIT` — in one round trip instead of three plus one per statement.
/// `statement_timeout` then bounds the whole step.
///
/// Errors and notices come back wrapped in the block's PL/pgSQL context; ``unwrap(_:)-(DatabaseError)`` turns
/// them back into what the statement alone would have raised, and names the statement from the block line
/// PostgreSQL reports.
struct StepBlock {
    /// The `DO` statement.
    let sql: String
    private let statements: [SQLStatement]
    /// The block line of each statement's `EXECUTE` (PL/pgSQL counts the line after the opening quote as 1).
    private let executeLines: [Int]
    /// How many characters of ``sql`` precede each statement's text.
    private let textOffsets: [Int]

    /// PL/pgSQL around the step's statements: variables, what runs before the first statement, and what runs after
    /// the trailer, still inside the block (usually a call that writes the step's ledger row). Each element is one
    /// line, without dollar quotes.
    struct Frame {
        var declarations: [String] = []
        var opening: [String] = []
        var closing: [String] = []
    }

    init(statements: [SQLStatement], frame: Frame = Frame(), then trailer: [String]) {
        let texts = statements.map(\.sql) + trailer
        let number = Self.quoteNumber(avoiding: texts + frame.opening + frame.closing)
        let blockQuote = "$robot_block_\(number)$"
        let textQuote = "$robot_\(number)$"
        let opening = "DO \(blockQuote)"
        let declarations = frame.declarations.isEmpty ? "" : "DECLARE\n" + frame.declarations.map { $0 + "\n" }.joined()
        var body = "\n" + declarations + "BEGIN\n" + frame.opening.map { $0 + "\n" }.joined()
        // PL/pgSQL numbers the body's lines from 1, the rest of the line of the opening quote.
        var line = Self.lineBreaks(in: body)
        var executeLines: [Int] = []
        var textOffsets: [Int] = []
        var characters = opening.unicodeScalars.count + body.unicodeScalars.count
        for text in texts {
            line += 1
            executeLines.append(line)
            let execute = "EXECUTE \(textQuote)"
            textOffsets.append(characters + execute.unicodeScalars.count)
            let statementLine = execute + text + "\(textQuote);\n"
            body += statementLine
            characters += statementLine.unicodeScalars.count
            line += Self.lineBreaks(in: text)
        }
        body += frame.closing.map { $0 + "\n" }.joined() + "END\n"
        self.sql = opening + body + blockQuote
        self.statements = statements
        self.executeLines = Array(executeLines.prefix(statements.count))
        self.textOffsets = Array(textOffsets.prefix(statements.count))
    }

    private static func lineBreaks(in text: String) -> Int {
        text.utf8.reduce(0) { $1 == UInt8(ascii: "\n") ? $0 + 1 : $0 }
    }

    /// Whether `error` is PostgreSQL refusing the block rather than the step: a statement it refuses inside a
    /// function but may accept between BEGIN and COMMIT — `feature_not_supported` (`EXECUTE of SELECT ...
    /// INTO is not implemented`) or `active_sql_transaction` (`SET TRANSACTION ISOLATION LEVEL must be
    /// called before any query`, `… cannot be executed from a function`) — or a database where PL/pgSQL is
    /// missing or not granted to the robot's role.
    static func refusesTheBlock(_ error: DatabaseError) -> Bool {
        switch error.sqlState {
        case "0A000", "25001": true
        case "42704", "42501": error.message.contains("plpgsql")
        default: false
        }
    }

    /// The error as the failing statement alone would have raised it, and that statement's 0-based index;
    /// `nil` when the failure is in the trailer, the frame (the ledger write) or outside any statement.
    func unwrap(_ error: DatabaseError) -> (error: DatabaseError, statementIndex: Int?) {
        guard let (context, index) = unwrap(context: error.context) else { return (error, nil) }
        var unwrapped = error
        unwrapped.context = context
        if let index, error.internalQuery == statements[index].sql {
            unwrapped.position = error.internalPosition.map { statementPosition($0, statement: index) }
            unwrapped.internalPosition = nil
            unwrapped.internalQuery = nil
        }
        return (unwrapped, index)
    }

    /// A position PostgreSQL reports for an `EXECUTE`d statement, made relative to that statement. Usually it
    /// already is; but an error inside a function body (a `CREATE FUNCTION` or a nested `DO` that does not
    /// compile) is located by finding the body in the query the client sent — the whole block.
    private func statementPosition(_ position: Int, statement index: Int) -> Int {
        let statement = statements[index]
        let length = statement.sql.unicodeScalars.count
        let shifted = position - textOffsets[index]
        guard (1...length).contains(shifted) else { return position }
        return position > length || Self.literalBodyContains(shifted, in: statement) ? shifted : position
    }

    /// Whether character `position` (1-based, in the statement's text) lies inside a string or dollar-quoted
    /// literal, after its opening quote: where a function body is.
    private static func literalBodyContains(_ position: Int, in statement: SQLStatement) -> Bool {
        guard let first = statement.significantTokens.first else { return false }
        let source = first.text.base.unicodeScalars
        return statement.tokens.contains { token in
            guard token.kind == .string || token.kind == .dollarString else { return false }
            let start = source.distance(from: first.text.startIndex, to: token.text.startIndex) + 1
            let end = start + token.text.unicodeScalars.count - 1
            return position > start && position <= end
        }
    }

    /// The notice as the statement alone would have sent it.
    func unwrap(_ notice: ServerNotice) -> ServerNotice {
        guard let (context, _) = unwrap(context: notice.context) else { return notice }
        var unwrapped = notice
        unwrapped.context = context
        return unwrapped
    }

    /// Removes the block's own lines from the end of a context: `PL/pgSQL function inline_code_block line N
    /// at EXECUTE` and, before it, `SQL statement "…"` quoting the statement. Returns `nil` when the context
    /// does not end in the block's line.
    private func unwrap(context: String?) -> (context: String?, statementIndex: Int?)? {
        guard let context else { return nil }
        let marker = "PL/pgSQL function inline_code_block line "
        guard let markerRange = context.ranges(of: marker).last,
              context[markerRange.upperBound...].hasSuffix(" at EXECUTE"),
              let line = Int(context[markerRange.upperBound...].prefix { $0.isNumber }),
              markerRange.lowerBound == context.startIndex || context[context.index(before: markerRange.lowerBound)] == "\n"
        else { return nil }
        let index = executeLines.firstIndex(of: line)
        var rest = String(context[..<markerRange.lowerBound])
        if rest.hasSuffix("\n") { rest.removeLast() }
        let quotedStatement = index.map { "SQL statement \"\(statements[$0].sql)\"" }
        if let quotedStatement, rest.hasSuffix(quotedStatement) {
            rest.removeLast(quotedStatement.count)
            if rest.hasSuffix("\n") { rest.removeLast() }
        }
        return (rest.isEmpty ? nil : rest, index)
    }

    /// The smallest number whose quotes `$robot_N$` (around each text) and `$robot_block_N$` (around the
    /// block) cannot end early: each text quote must first occur where it closes its text, and the block
    /// quote nowhere inside. Both contain `robot_`, so texts without it (nearly all) take 0 at once.
    private static func quoteNumber(avoiding texts: [String]) -> Int {
        let suspects = texts.map { Array($0.utf8) }.filter { ByteSearch.firstIndex(of: "robot_".utf8, in: $0[...]) != nil }
        var number = 0
        while true {
            let textQuote = Array("$robot_\(number)$".utf8)
            let blockQuote = Array("$robot_block_\(number)$".utf8)
            let holds = suspects.allSatisfy { text in
                ByteSearch.firstIndex(of: textQuote, in: (text + textQuote)[...]) == text.count
                    && ByteSearch.firstIndex(of: blockQuote, in: (textQuote + text + textQuote)[...]) == nil
            }
            if holds { return number }
            number += 1
        }
    }
}
