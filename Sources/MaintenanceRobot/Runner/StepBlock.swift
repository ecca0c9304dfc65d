import RobotSQL

/// A transactional step sent as ONE statement: a `DO` block that `EXECUTE`s each of the step's statements,
/// then the statements that must commit with them (its ledger row, restoring the session's timeouts).
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

    init(statements: [SQLStatement], then trailer: [String]) {
        let texts = statements.map(\.sql) + trailer
        let number = Self.quoteNumber(avoiding: texts)
        let blockQuote = "$robot_block_\(number)$"
        let textQuote = "$robot_\(number)$"
        var body = "\nBEGIN\n"
        var line = 2
        var executeLines: [Int] = []
        for text in texts {
            line += 1
            executeLines.append(line)
            body += "EXECUTE \(textQuote)\(text)\(textQuote);\n"
            line += text.utf8.reduce(0) { $1 == UInt8(ascii: "\n") ? $0 + 1 : $0 }
        }
        body += "END\n"
        self.sql = "DO \(blockQuote)\(body)\(blockQuote)"
        self.statements = statements
        self.executeLines = Array(executeLines.prefix(statements.count))
    }

    /// The error as the failing statement alone would have raised it, and that statement's 0-based index;
    /// `nil` when the failure is in the trailer (the ledger write) or outside any statement.
    func unwrap(_ error: DatabaseError) -> (error: DatabaseError, statementIndex: Int?) {
        guard let (context, index) = unwrap(context: error.context) else { return (error, nil) }
        var unwrapped = error
        unwrapped.context = context
        if let index, error.internalQuery == statements[index].sql {
            unwrapped.position = error.internalPosition
            unwrapped.internalPosition = nil
            unwrapped.internalQuery = nil
        }
        return (unwrapped, index)
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
        guard let markerRange = context.range(of: marker, options: .backwards),
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
        let suspects = texts.map { Array($0.utf8) }.filter { firstOffset(of: Array("robot_".utf8), in: $0) != nil }
        var number = 0
        while true {
            let textQuote = Array("$robot_\(number)$".utf8)
            let blockQuote = Array("$robot_block_\(number)$".utf8)
            let holds = suspects.allSatisfy { text in
                firstOffset(of: textQuote, in: text + textQuote) == text.count
                    && firstOffset(of: blockQuote, in: textQuote + text + textQuote) == nil
            }
            if holds { return number }
            number += 1
        }
    }

    /// The offset of the first occurrence of `needle` in `haystack`.
    private static func firstOffset(of needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard needle.count <= haystack.count else { return nil }
        return (0...(haystack.count - needle.count)).first { start in
            haystack[start] == needle[0] && haystack[start..<(start + needle.count)].elementsEqual(needle)
        }
    }
}
