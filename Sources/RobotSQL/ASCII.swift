/// The bytes the lexer looks at, named, and PostgreSQL's character classes.
enum ASCII {
    static let newline = UInt8(ascii: "\n")
    static let carriageReturn = UInt8(ascii: "\r")
    static let singleQuote = UInt8(ascii: "'")
    static let doubleQuote = UInt8(ascii: "\"")
    static let dollar = UInt8(ascii: "$")
    static let backslash = UInt8(ascii: "\\")
    static let minus = UInt8(ascii: "-")
    static let plus = UInt8(ascii: "+")
    static let slash = UInt8(ascii: "/")
    static let star = UInt8(ascii: "*")
    static let dot = UInt8(ascii: ".")
    static let colon = UInt8(ascii: ":")

    /// Space, `\t`, `\n`, `\v`, `\f` and `\r`.
    static func isWhitespace(_ byte: UInt8) -> Bool { byte == UInt8(ascii: " ") || (0x09...0x0D).contains(byte) }
    static func isDigit(_ byte: UInt8) -> Bool { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) }
    static func isOctalDigit(_ byte: UInt8) -> Bool { (UInt8(ascii: "0")...UInt8(ascii: "7")).contains(byte) }
    static func isHexDigit(_ byte: UInt8) -> Bool { Character(Unicode.Scalar(byte)).isHexDigit }
    /// PostgreSQL's `op_chars`.
    static func isOperatorCharacter(_ byte: UInt8) -> Bool { "~!@#^&|`?+-*/%<>=".utf8.contains(byte) }
    /// Operator characters that keep a trailing `+` or `-` in an operator (`@-` stays one operator).
    static func isNonMathOperatorCharacter(_ byte: UInt8) -> Bool { "~!@#^&|`?%".utf8.contains(byte) }
    static func isPunctuation(_ byte: UInt8) -> Bool { "()[],;.:".utf8.contains(byte) }

    /// PostgreSQL's `ident_start`: letters, `_`, and every byte of a non-ASCII character.
    static func isIdentifierStart(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(lowercased(byte)) || byte == UInt8(ascii: "_") || byte >= 0x80
    }

    /// PostgreSQL's `dolq_cont`: what may follow the first character of a dollar-quote tag.
    static func isDollarTagContinuation(_ byte: UInt8) -> Bool { isIdentifierStart(byte) || isDigit(byte) }

    /// PostgreSQL's `ident_cont`: dollar-quote tag characters plus `$`.
    static func isIdentifierContinuation(_ byte: UInt8) -> Bool { isDollarTagContinuation(byte) || byte == dollar }

    static func lowercased(_ byte: UInt8) -> UInt8 { (0x41...0x5A).contains(byte) ? byte + 0x20 : byte }
    static func uppercased(_ byte: UInt8) -> UInt8 { (0x61...0x7A).contains(byte) ? byte - 0x20 : byte }

    /// Whether `text` equals `keyword`, ignoring ASCII case.
    static func equalsIgnoringCase(_ text: Substring, _ keyword: String) -> Bool {
        text.utf8.elementsEqual(keyword.utf8) { lowercased($0) == lowercased($1) }
    }
}
