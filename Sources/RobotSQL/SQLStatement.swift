/// One SQL statement of a script, as ``SQLStatementSplitter`` cut it out.
public struct SQLStatement: Sendable, Hashable {
    /// The text to send to the server: from the first non-comment token to the end of the last token before
    /// the terminating `;` (comments inside kept, the `;` left out). Exactly a slice of the source.
    public let sql: String
    /// The location of `sql`'s first character.
    public let start: SourceLocation
    /// The location just past `sql`'s last character.
    public let end: SourceLocation
    /// The source from the first token after the previous statement's `;` to the end of ``sql``: ``sql`` with
    /// the comments above it (so a `-- robot:allow …` comment just above a statement belongs to it). A slice of
    /// the script, sharing its storage.
    public let region: Substring
    /// The location of ``region``'s first character.
    public let regionStart: SourceLocation

    init(sql: String, start: SourceLocation, end: SourceLocation, region: Substring, regionStart: SourceLocation) {
        self.sql = sql
        self.start = start
        self.end = end
        self.region = region
        self.regionStart = regionStart
    }

    /// Calls `body` with each token of ``region`` in order, comments included, one at a time: no array is
    /// built, so memory stays flat however long the statement is (a 50 MB seed has millions of tokens).
    public func forEachToken<E: Error>(_ body: (SQLToken) throws(E) -> Void) throws(E) {
        var lexer = SQLLexer(region, origin: regionStart)
        while true {
            let token: SQLToken?
            do {
                token = try lexer.next()
            } catch {
                preconditionFailure("the splitter lexed this text at this origin without an error: \(error)")
            }
            guard let token else { return }
            try body(token)
        }
    }

    /// Every token since the previous statement's `;`, comments included, without the terminating `;`.
    ///
    /// Lexed again on each use; read a long statement with ``forEachToken(_:)`` instead.
    public var tokens: [SQLToken] {
        var tokens: [SQLToken] = []
        forEachToken { tokens.append($0) }
        return tokens
    }

    /// The tokens without comments.
    public var significantTokens: [SQLToken] {
        tokens.filter { !$0.isComment }
    }

    /// Maps a position PostgreSQL reports in an error (1-based, in characters, that is Unicode scalars of
    /// ``sql``) to its location in the source file.
    ///
    /// Positions before the first character map to ``start``; positions past the last map to ``end``.
    public func location(ofCharacterPosition position: Int) -> SourceLocation {
        let scalars = sql.unicodeScalars
        guard position > 1 else { return start }
        guard let index = scalars.index(scalars.startIndex, offsetBy: position - 1, limitedBy: scalars.endIndex) else { return end }
        var tracker = LocationTracker(origin: start)
        return tracker.advance(to: sql.utf8.distance(from: sql.utf8.startIndex, to: index), in: Array(sql.utf8))
    }
}
