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
        // The statement being read, as its first token, first significant token and last token: tokens are
        // read one at a time and not kept, so a 50 MB statement costs no more than its text.
        var first: SQLToken?
        var firstSignificant: SQLToken?
        var last: SQLToken?
        var boundary = StatementBoundaryTracker()
        func flush() {
            if let first, let firstSignificant, let last {
                statements.append(SQLStatement(
                    sql: String(source[firstSignificant.text.startIndex..<last.text.endIndex]),
                    start: firstSignificant.start, end: last.end,
                    region: source[first.text.startIndex..<last.text.endIndex], regionStart: first.start
                ))
            }
            (first, firstSignificant, last) = (nil, nil, nil)
            boundary = StatementBoundaryTracker()
        }
        var lexer = SQLLexer(source, origin: origin)
        while let token = try lexer.next() {
            if token.kind == .punctuation, token.text == ";", boundary.semicolonEndsStatement {
                flush()
            } else {
                if first == nil { first = token }
                if firstSignificant == nil, !token.isComment { firstSignificant = token }
                last = token
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
