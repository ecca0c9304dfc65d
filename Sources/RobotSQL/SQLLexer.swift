/// Splits PostgreSQL SQL source into tokens, following the rules of PostgreSQL's own lexer (`scan.l`).
///
/// ```swift
/// let tokens = try SQLLexer("SELECT 'it''s' -- why\n").tokens()
/// // word SELECT, string 'it''s', line comment -- why
/// ```
///
/// Locations count lines (`\n`, `\r\n` or a lone `\r`) and Unicode-scalar columns from `origin`, so a
/// piece of a larger file, such as a DO block body, can be lexed at its real position.
public struct SQLLexer: Sendable {
    private var scanner: TokenScanner

    /// Prepares to lex `source`, which starts at `origin` inside its file.
    public init(_ source: String, origin: SourceLocation = .start) {
        self.init(source[...], origin: origin)
    }

    /// Prepares to lex a slice of a larger text, which starts at `origin` inside its file. The tokens' texts are
    /// slices of the same storage.
    public init(_ source: Substring, origin: SourceLocation = .start) {
        scanner = TokenScanner(source: source, origin: origin)
    }

    /// The next token including comments, without whitespace; `nil` at the end.
    ///
    /// Reading tokens one at a time keeps memory flat however long the source is: a 50 MB seed has
    /// millions of tokens, and an array of them takes twenty times the text's size.
    ///
    /// - Throws: ``SQLSyntaxError`` at an unterminated literal or comment, a psql meta-command, or a
    ///   character that cannot start a token.
    public mutating func next() throws(SQLSyntaxError) -> SQLToken? {
        try scanner.next()
    }

    /// Every token including comments, in source order, without whitespace.
    ///
    /// - Throws: ``SQLSyntaxError`` at the first unterminated literal or comment, psql meta-command, or
    ///   character that cannot start a token.
    public func tokens() throws(SQLSyntaxError) -> [SQLToken] {
        var lexer = self
        var tokens: [SQLToken] = []
        while let token = try lexer.next() {
            tokens.append(token)
        }
        return tokens
    }
}

/// The byte-level work behind ``SQLLexer``: each `…End` method returns the byte index just past a token.
struct TokenScanner: Sendable {
    private let source: Substring
    private let bytes: [UInt8]
    private var tracker: LocationTracker
    /// Where the next token may start.
    private var index = 0

    init(source: Substring, origin: SourceLocation) {
        self.source = source
        self.bytes = Array(source.utf8)
        self.tracker = LocationTracker(origin: origin)
    }

    mutating func next() throws(SQLSyntaxError) -> SQLToken? {
        let start = firstNonWhitespace(from: index)
        guard start < bytes.count else {
            index = bytes.count
            return nil
        }
        let (kind, end) = try scanToken(at: start)
        index = end
        return makeToken(kind, from: start, to: end)
    }

    // MARK: - Dispatch

    private mutating func scanToken(at index: Int) throws(SQLSyntaxError) -> (SQLToken.Kind, Int) {
        let first = bytes[index]
        let second = byte(at: index + 1)
        switch first {
        case ASCII.minus where second == ASCII.minus:
            return (.lineComment, lineEnd(from: index + 2))
        case ASCII.slash where second == ASCII.star:
            return (.blockComment, try blockCommentEnd(openingAt: index))
        case ASCII.singleQuote:
            return (.string, try quotedEnd(quoteAt: index, tokenStart: index))
        case ASCII.doubleQuote:
            return (.quotedIdentifier, try quotedEnd(quoteAt: index, tokenStart: index))
        case ASCII.dollar:
            return try scanDollar(at: index)
        case ASCII.dot where second == ASCII.dot:
            return (.operator, index + 2)
        case ASCII.dot where ASCII.isDigit(second), _ where ASCII.isDigit(first):
            return (.number, numberEnd(from: index))
        case ASCII.colon where second == ASCII.colon || second == UInt8(ascii: "="):
            return (.operator, index + 2)
        case ASCII.backslash:
            throw psqlMetaCommandError(at: index)
        case _ where ASCII.isPunctuation(first):
            return (.punctuation, index + 1)
        case _ where ASCII.isOperatorCharacter(first):
            return (.operator, operatorEnd(from: index))
        case _ where ASCII.isIdentifierStart(first):
            return try scanWordOrPrefixedLiteral(at: index)
        default:
            throw error(.unexpectedCharacter(Character(Unicode.Scalar(first))), at: index)
        }
    }

    /// A word, or a literal with a letter prefix: `E'…'`, `B'…'`, `X'…'`, `N'…'`, `U&'…'`, `U&"…"`.
    private mutating func scanWordOrPrefixedLiteral(at index: Int) throws(SQLSyntaxError) -> (SQLToken.Kind, Int) {
        let prefix = ASCII.lowercased(bytes[index])
        let next = byte(at: index + 1)
        if next == ASCII.singleQuote {
            switch Unicode.Scalar(prefix) {
            case "e":
                return (.string, try backslashEscapedStringEnd(quoteAt: index + 1, tokenStart: index))
            case "b", "x", "n":
                return (.string, try quotedEnd(quoteAt: index + 1, tokenStart: index))
            default:
                break
            }
        }
        let quote = byte(at: index + 2)
        if prefix == UInt8(ascii: "u"), next == UInt8(ascii: "&"), quote == ASCII.singleQuote || quote == ASCII.doubleQuote {
            let end = try quotedEnd(quoteAt: index + 2, tokenStart: index)
            return (quote == ASCII.singleQuote ? .string : .quotedIdentifier, uescapeClauseEnd(after: end) ?? end)
        }
        return (.word, end(of: ASCII.isIdentifierContinuation, from: index + 1))
    }

    // MARK: - Literals

    /// The end of a `'…'` string or `"…"` identifier whose quote is doubled to escape it.
    private mutating func quotedEnd(quoteAt quoteIndex: Int, tokenStart: Int) throws(SQLSyntaxError) -> Int {
        let quote = bytes[quoteIndex]
        var index = quoteIndex + 1
        while index < bytes.count {
            if bytes[index] == quote {
                guard byte(at: index + 1) == quote else { return index + 1 }
                index += 1
            }
            index += 1
        }
        let kind: SQLSyntaxError.Kind = quote == ASCII.singleQuote ? .unterminatedString : .unterminatedQuotedIdentifier
        throw error(kind, at: tokenStart)
    }

    /// The end of an `E'…'` string, where a backslash escapes any character, the quote included.
    private mutating func backslashEscapedStringEnd(quoteAt quoteIndex: Int, tokenStart: Int) throws(SQLSyntaxError) -> Int {
        var index = quoteIndex + 1
        while index < bytes.count {
            switch bytes[index] {
            case ASCII.backslash:
                index += 2
            case ASCII.singleQuote:
                guard byte(at: index + 1) == ASCII.singleQuote else { return index + 1 }
                index += 2
            default:
                index += 1
            }
        }
        throw error(.unterminatedString, at: tokenStart)
    }

    /// The end of a ` UESCAPE 'c'` clause right after a `U&` literal, or `nil` if there is none.
    private func uescapeClauseEnd(after literalEnd: Int) -> Int? {
        let keywordStart = firstNonWhitespace(from: literalEnd)
        let keyword = Array("uescape".utf8)
        let keywordEnd = keywordStart + keyword.count
        guard keywordEnd <= bytes.count,
            bytes[keywordStart..<keywordEnd].elementsEqual(keyword, by: { ASCII.lowercased($0) == $1 }),
            !ASCII.isIdentifierContinuation(byte(at: keywordEnd))
        else { return nil }
        let quote = firstNonWhitespace(from: keywordEnd)
        guard byte(at: quote) == ASCII.singleQuote, byte(at: quote + 2) == ASCII.singleQuote,
            byte(at: quote + 1) != ASCII.singleQuote
        else { return nil }
        return quote + 3
    }

    /// A `$1` parameter or a `$tag$ … $tag$` dollar string.
    private mutating func scanDollar(at index: Int) throws(SQLSyntaxError) -> (SQLToken.Kind, Int) {
        if ASCII.isDigit(byte(at: index + 1)) {
            return (.parameter, end(of: ASCII.isDigit, from: index + 1))
        }
        var closingDollar = index + 1
        if ASCII.isIdentifierStart(byte(at: closingDollar)) {
            closingDollar = end(of: ASCII.isDollarTagContinuation, from: closingDollar + 1)
        }
        guard byte(at: closingDollar) == ASCII.dollar else {
            throw error(.unexpectedCharacter("$"), at: index)
        }
        let delimiter = bytes[index...closingDollar]
        if let closing = ByteSearch.firstIndex(of: delimiter, in: bytes[(closingDollar + 1)...]) {
            return (.dollarString, closing + delimiter.count)
        }
        let tag = String(decoding: delimiter.dropFirst().dropLast(), as: UTF8.self)
        throw error(.unterminatedDollarQuote(tag: tag), at: index)
    }

    /// The end of `42`, `3.14`, `.5`, `1e10`, `1_000`, `0x1F`, `0o17`, `0b101` (PostgreSQL 16 rules).
    private func numberEnd(from start: Int) -> Int {
        if let radixEnd = radixIntegerEnd(from: start) { return radixEnd }
        var index = digitsEnd(from: start, isDigit: ASCII.isDigit)
        // `1..10` is the integer 1 followed by `..`, not `1.` followed by `.10`.
        if byte(at: index) == ASCII.dot, byte(at: index + 1) != ASCII.dot {
            index = digitsEnd(from: index + 1, isDigit: ASCII.isDigit)
        }
        if ASCII.lowercased(byte(at: index)) == UInt8(ascii: "e") {
            var exponent = index + 1
            if byte(at: exponent) == ASCII.plus || byte(at: exponent) == ASCII.minus { exponent += 1 }
            if ASCII.isDigit(byte(at: exponent)) { index = digitsEnd(from: exponent, isDigit: ASCII.isDigit) }
        }
        return index
    }

    /// The end of `0x…`, `0o…` or `0b…`, or `nil` if the number has no radix prefix.
    private func radixIntegerEnd(from start: Int) -> Int? {
        guard bytes[start] == UInt8(ascii: "0") else { return nil }
        let isDigitOfRadix: (UInt8) -> Bool
        switch Unicode.Scalar(ASCII.lowercased(byte(at: start + 1))) {
        case "x": isDigitOfRadix = ASCII.isHexDigit
        case "o": isDigitOfRadix = ASCII.isOctalDigit
        case "b": isDigitOfRadix = { $0 == UInt8(ascii: "0") || $0 == UInt8(ascii: "1") }
        default: return nil
        }
        let end = digitsEnd(from: start + 2, isDigit: isDigitOfRadix)
        return end > start + 2 ? end : nil
    }

    /// Digits with single underscores between them, as in `1_000_000`.
    private func digitsEnd(from start: Int, isDigit: (UInt8) -> Bool) -> Int {
        var index = start
        while true {
            if isDigit(byte(at: index)) {
                index += 1
            } else if byte(at: index) == UInt8(ascii: "_"), index > start, isDigit(byte(at: index + 1)) {
                index += 2
            } else {
                return index
            }
        }
    }

    // MARK: - Words, operators, comments

    /// PostgreSQL's operator rule: a run of operator characters, cut before any `--` or `/*`, and without
    /// trailing `+`/`-` unless the run has a character such as `@` or `~` (so `1--2` and `a+-b` split).
    private func operatorEnd(from start: Int) -> Int {
        var end = end(of: ASCII.isOperatorCharacter, from: start)
        if let commentStart = (start + 1..<max(start + 1, end - 1)).first(where: startsComment) {
            end = commentStart
        }
        guard !bytes[start..<end].contains(where: ASCII.isNonMathOperatorCharacter) else { return end }
        while end - start > 1, bytes[end - 1] == ASCII.plus || bytes[end - 1] == ASCII.minus {
            end -= 1
        }
        return end
    }

    private func startsComment(at index: Int) -> Bool {
        let (first, second) = (bytes[index], byte(at: index + 1))
        return (first == ASCII.minus && second == ASCII.minus) || (first == ASCII.slash && second == ASCII.star)
    }

    private func lineEnd(from start: Int) -> Int {
        end(of: { $0 != ASCII.newline && $0 != ASCII.carriageReturn }, from: start)
    }

    private mutating func blockCommentEnd(openingAt opening: Int) throws(SQLSyntaxError) -> Int {
        var depth = 1
        var index = opening + 2
        while index < bytes.count {
            if bytes[index] == ASCII.slash, byte(at: index + 1) == ASCII.star {
                depth += 1
                index += 2
            } else if bytes[index] == ASCII.star, byte(at: index + 1) == ASCII.slash {
                depth -= 1
                index += 2
                if depth == 0 { return index }
            } else {
                index += 1
            }
        }
        throw error(.unterminatedBlockComment, at: opening)
    }

    /// psql runs backslash commands itself and never sends them to the server; here they are mistakes.
    private mutating func psqlMetaCommandError(at index: Int) -> SQLSyntaxError {
        let commandEnd = end(of: { !ASCII.isWhitespace($0) }, from: index + 1)
        let command = String(decoding: bytes[index..<commandEnd], as: UTF8.self)
        return error(.psqlMetaCommand(command), at: index)
    }

    // MARK: - Helpers

    /// The byte at `index`, or 0 past the end (0 matches nothing the lexer looks for).
    private func byte(at index: Int) -> UInt8 {
        index < bytes.count ? bytes[index] : 0
    }

    private func end(of predicate: (UInt8) -> Bool, from start: Int) -> Int {
        bytes[start...].firstIndex { !predicate($0) } ?? bytes.count
    }

    private func firstNonWhitespace(from start: Int) -> Int {
        end(of: ASCII.isWhitespace, from: start)
    }

    private mutating func makeToken(_ kind: SQLToken.Kind, from start: Int, to end: Int) -> SQLToken {
        let utf8 = source.utf8
        let lower = utf8.index(utf8.startIndex, offsetBy: start)
        let upper = utf8.index(lower, offsetBy: end - start)
        return SQLToken(
            kind: kind,
            text: source[lower..<upper],
            start: tracker.advance(to: start, in: bytes),
            end: tracker.advance(to: end, in: bytes)
        )
    }

    private mutating func error(_ kind: SQLSyntaxError.Kind, at index: Int) -> SQLSyntaxError {
        SQLSyntaxError(kind: kind, location: tracker.advance(to: index, in: bytes))
    }
}
