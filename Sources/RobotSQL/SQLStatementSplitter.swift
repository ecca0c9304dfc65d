/// Splits a SQL script into statements at top-level semicolons, the way psql does.
///
/// ```swift
/// for statement in try SQLStatementSplitter.split(script) {
///     try await connection.query(statement.sql)
/// }
/// ```
///
/// A semicolon splits unless it is inside a string, quoted identifier, dollar quote, comment, parentheses,
/// or the `BEGIN ATOMIC … END` body of `CREATE [OR REPLACE] FUNCTION|PROCEDURE` (where `CASE … END` and
/// nested `BEGIN … END` nest, as psql's `psqlscan.l` tracks them). `BEGIN; … COMMIT;` transactions split
/// normally.
public enum SQLStatementSplitter {
    /// The statements of `source`, which starts at `origin` inside its file.
    ///
    /// Empty statements (`;;`) and comment-only stretches are dropped; a final statement without `;` is
    /// still a statement.
    ///
    /// - Throws: ``SQLSyntaxError`` from the lexer, or ``SQLSyntaxError/Kind/unterminatedAtomicBody`` when
    ///   a `BEGIN ATOMIC` body has no `END`.
    public static func split(_ source: String, origin: SourceLocation = .start) throws(SQLSyntaxError) -> [SQLStatement] {
        var statements: [SQLStatement] = []
        var pending: [SQLToken] = []
        var boundary = StatementBoundaryTracker()
        func flush() {
            if let first = pending.first(where: { !$0.isComment }), let last = pending.last {
                let sql = String(first.text.base[first.text.startIndex..<last.text.endIndex])
                statements.append(SQLStatement(sql: sql, start: first.start, end: last.end, tokens: pending))
            }
            pending.removeAll(keepingCapacity: true)
            boundary = StatementBoundaryTracker()
        }
        for token in try SQLLexer(source, origin: origin).tokens() {
            if token.kind == .punctuation, token.text == ";", boundary.semicolonEndsStatement {
                flush()
            } else {
                pending.append(token)
                boundary.observe(token)
            }
        }
        if let atomicBodyStart = boundary.openAtomicBodyStart {
            throw SQLSyntaxError(kind: .unterminatedAtomicBody, location: atomicBodyStart)
        }
        flush()
        return statements
    }
}

/// Decides whether a `;` ends the statement: not inside parentheses, and not inside the `BEGIN ATOMIC`
/// body of a `CREATE [OR REPLACE] FUNCTION|PROCEDURE` statement.
struct StatementBoundaryTracker {
    /// How far the statement's leading words match `CREATE [OR REPLACE] FUNCTION|PROCEDURE`.
    private enum Header {
        case start, afterCreate, afterOr, afterOrReplace, routine, other
    }

    private var header = Header.start
    private var parenthesisDepth = 0
    private var candidateBegin: SourceLocation?
    private var atomicDepth = 0
    private(set) var openAtomicBodyStart: SourceLocation?

    var semicolonEndsStatement: Bool {
        parenthesisDepth == 0 && atomicDepth == 0
    }

    mutating func observe(_ token: SQLToken) {
        guard !token.isComment else { return }
        if token.kind == .punctuation {
            trackParentheses(token)
        }
        guard token.kind == .word else {
            candidateBegin = nil
            return
        }
        if header == .routine {
            trackAtomicBody(token)
        } else {
            header = nextHeader(after: token)
        }
    }

    private mutating func trackParentheses(_ token: SQLToken) {
        if token.text == "(" {
            parenthesisDepth += 1
        } else if token.text == ")", parenthesisDepth > 0 {
            parenthesisDepth -= 1
        }
    }

    private func nextHeader(after word: SQLToken) -> Header {
        let isRoutine = word.isWord("function") || word.isWord("procedure")
        switch header {
        case .start: return word.isWord("create") ? .afterCreate : .other
        case .afterCreate: return isRoutine ? .routine : word.isWord("or") ? .afterOr : .other
        case .afterOr: return word.isWord("replace") ? .afterOrReplace : .other
        case .afterOrReplace: return isRoutine ? .routine : .other
        case .routine, .other: return header
        }
    }

    /// Outside the body only `BEGIN ATOMIC` opens it; inside, `BEGIN` and `CASE` open and `END` closes.
    private mutating func trackAtomicBody(_ word: SQLToken) {
        guard parenthesisDepth == 0 else { return }
        if atomicDepth == 0 {
            if let begin = candidateBegin, word.isWord("atomic") {
                atomicDepth = 1
                openAtomicBodyStart = begin
            }
            candidateBegin = word.isWord("begin") ? word.start : nil
        } else if word.isWord("begin") || word.isWord("case") {
            atomicDepth += 1
        } else if word.isWord("end") {
            atomicDepth -= 1
            if atomicDepth == 0 { openAtomicBodyStart = nil }
        }
    }
}
