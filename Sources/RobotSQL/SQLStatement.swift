/// One SQL statement of a script, as ``SQLStatementSplitter`` cut it out.
public struct SQLStatement: Sendable, Hashable {
    /// The text to send to the server: from the first non-comment token to the end of the last token before
    /// the terminating `;` (comments inside kept, the `;` left out). Exactly a slice of the source.
    public let sql: String
    /// The location of `sql`'s first character.
    public let start: SourceLocation
    /// The location just past `sql`'s last character.
    public let end: SourceLocation
    /// Every token since the previous statement's `;`, comments included (so a `-- robot:allow …` comment
    /// just above a statement belongs to it), without the terminating `;`.
    public let tokens: [SQLToken]

    init(sql: String, start: SourceLocation, end: SourceLocation, tokens: [SQLToken]) {
        self.sql = sql
        self.start = start
        self.end = end
        self.tokens = tokens
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
