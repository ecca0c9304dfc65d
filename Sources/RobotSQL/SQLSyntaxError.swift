/// SQL source the lexer or splitter cannot read, with where the problem starts and how to fix it.
public struct SQLSyntaxError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong.
    public enum Kind: Sendable, Hashable {
        /// A `'…'` string (any prefix: `E`, `U&`, `B`, `X`, `N`) that never closes.
        case unterminatedString
        /// A `"…"` identifier that never closes.
        case unterminatedQuotedIdentifier
        /// A `$tag$ … ` dollar quote without its closing `$tag$`; `tag` is `""` for `$$`.
        case unterminatedDollarQuote(tag: String)
        /// A `/* …` comment without its closing `*/` (comments nest).
        case unterminatedBlockComment
        /// A `BEGIN ATOMIC` function body without its `END`.
        case unterminatedAtomicBody
        /// A psql backslash command such as `\connect` or `\i`, which is not SQL.
        case psqlMetaCommand(String)
        /// A character that cannot start any SQL token.
        case unexpectedCharacter(Character)
    }

    /// What went wrong.
    public let kind: Kind
    /// Where the unterminated construct opens, or where the offending character is.
    public let location: SourceLocation

    public init(kind: Kind, location: SourceLocation) {
        self.kind = kind
        self.location = location
    }

    /// `line:column: what happened; what to do`.
    public var description: String {
        "\(location): \(explanation)"
    }

    private var explanation: String {
        switch kind {
        case .unterminatedString:
            "unterminated string literal opens here and is never closed; close it with ' "
                + "(write '' for a quote inside it; in an E'…' string \\' does not close it either)"
        case .unterminatedQuotedIdentifier:
            "unterminated quoted identifier opens here and is never closed; close it with \" "
                + "(write \"\" for a quote inside it)"
        case .unterminatedDollarQuote(let tag):
            "unterminated dollar-quoted string $\(tag)$ opens here and is never closed; close it with $\(tag)$"
        case .unterminatedBlockComment:
            "unterminated block comment opens here and is never closed; close it with */ "
                + "(block comments nest, so every /* inside needs its own */)"
        case .unterminatedAtomicBody:
            "BEGIN ATOMIC function body opens here and has no matching END; end it with END "
                + "(every CASE and BEGIN inside needs its own END)"
        case .psqlMetaCommand(let command):
            "\(command) is a psql meta-command, not SQL; remove it (steps are sent to the server as plain SQL, "
                + "one connection and database per run)"
        case .unexpectedCharacter(let character):
            "unexpected character \(String(reflecting: String(character))) outside any string, identifier or comment; "
                + "remove it or put it inside quotes"
        }
    }
}
