/// One token of PostgreSQL SQL source, with its exact text and where it sits in the file.
///
/// ## Topics
/// - ``kind``, ``text``, ``start``, ``end``: what the lexer saw.
/// - ``value``, ``dollarTag``, ``bodyStart``: what the token means.
/// - ``isWord(_:)``, ``isComment``: the questions a splitter or linter asks.
public struct SQLToken: Sendable, Hashable {
    /// The kinds of token PostgreSQL's lexer distinguishes, as far as tools around SQL need them.
    public enum Kind: Sendable, Hashable {
        /// A keyword or unquoted identifier: `select`, `my_table`, `a$b`, `café`.
        case word
        /// A double-quoted identifier, `"Mixed Case"` or `U&"d\0061t"`.
        case quotedIdentifier
        /// A single-quoted literal: `'…'`, `E'…'`, `U&'…'` (with its `UESCAPE` clause), `B'…'`, `X'…'`, `N'…'`.
        case string
        /// A dollar-quoted literal: `$$ … $$` or `$tag$ … $tag$`.
        case dollarString
        /// A numeric literal: `42`, `3.14`, `.5`, `1e10`, `0x1F`, `1_000`.
        case number
        /// A positional parameter: `$1`.
        case parameter
        /// An operator: a run of `+ - * / < > = ~ ! @ # % ^ & | ` ?`, or `::`, `:=`, `=>`, `..`.
        case `operator`
        /// One of `( ) [ ] , ; . :`.
        case punctuation
        /// `--` to the end of the line, without the line break.
        case lineComment
        /// `/* … */`, nested comments included.
        case blockComment
    }

    /// What kind of token this is.
    public let kind: Kind
    /// The exact source text of the token: a slice of the string given to ``SQLLexer``, so it shares (and
    /// keeps alive) that string's storage. Copy it with `String(token.text)` to keep it on its own.
    public let text: Substring
    /// The location of the token's first character.
    public let start: SourceLocation
    /// The location just past the token's last character.
    public let end: SourceLocation

    init(kind: Kind, text: Substring, start: SourceLocation, end: SourceLocation) {
        self.kind = kind
        self.text = text
        self.start = start
        self.end = end
    }

    /// What the token means.
    ///
    /// Words: the text uppercased (ASCII only, as PostgreSQL folds keywords); quoted identifiers: the
    /// name without quotes; strings: the decoded value (best effort for `E''` and `U&''` escapes); dollar
    /// strings: the body; every other kind: the text.
    public var value: String {
        switch kind {
        case .word:
            String(decoding: text.utf8.map(ASCII.uppercased), as: UTF8.self)
        case .quotedIdentifier, .string:
            LiteralDecoder.decode(text)
        case .dollarString:
            String(decoding: text.utf8.dropFirst(dollarDelimiter.utf8.count).dropLast(dollarDelimiter.utf8.count), as: UTF8.self)
        case .number, .parameter, .operator, .punctuation, .lineComment, .blockComment:
            String(text)
        }
    }

    /// For dollar strings, the tag without its dollars (`""` for `$$`); `nil` for every other kind.
    public var dollarTag: String? {
        guard kind == .dollarString else { return nil }
        return String(dollarDelimiter.dropFirst().dropLast())
    }

    /// For dollar strings, where the body starts; `nil` for every other kind.
    ///
    /// Re-lex the body at its real position with `SQLLexer(token.value, origin: token.bodyStart!)`.
    public var bodyStart: SourceLocation? {
        guard kind == .dollarString else { return nil }
        let delimiter = dollarDelimiter
        var location = start
        location.column += delimiter.unicodeScalars.count
        location.scalarOffset += delimiter.unicodeScalars.count
        location.utf8Offset += delimiter.utf8.count
        return location
    }

    /// Whether this is a `.word` token spelling `keyword`, ignoring ASCII case: `token.isWord("create")`.
    public func isWord(_ keyword: String) -> Bool {
        kind == .word && ASCII.equalsIgnoringCase(text, keyword)
    }

    /// Whether this is a line or block comment.
    public var isComment: Bool {
        kind == .lineComment || kind == .blockComment
    }

    /// The opening `$tag$` of a dollar string.
    private var dollarDelimiter: Substring {
        let secondDollar = text.utf8.dropFirst().firstIndex(of: ASCII.dollar) ?? text.endIndex
        return text[..<text.utf8.index(after: secondDollar)]
    }
}
