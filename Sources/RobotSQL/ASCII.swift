/// The bytes the lexer looks at, named, and PostgreSQL's character classes as a lookup table.
enum ASCII {
    static let newline: UInt8 = 0x0A
    static let carriageReturn: UInt8 = 0x0D
    static let tab: UInt8 = 0x09
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
    static let equals = UInt8(ascii: "=")
    static let underscore = UInt8(ascii: "_")
    static let ampersand = UInt8(ascii: "&")

    private struct ByteClass: OptionSet {
        let rawValue: UInt8
        static let whitespace = ByteClass(rawValue: 1 << 0)
        static let digit = ByteClass(rawValue: 1 << 1)
        static let hexDigit = ByteClass(rawValue: 1 << 2)
        /// PostgreSQL's `ident_start`: letters, `_`, and every byte of a non-ASCII character.
        static let identifierStart = ByteClass(rawValue: 1 << 3)
        /// PostgreSQL's `op_chars`.
        static let operatorCharacter = ByteClass(rawValue: 1 << 4)
        /// Operator characters that keep a trailing `+` or `-` in an operator (`@-` stays one operator).
        static let nonMathOperatorCharacter = ByteClass(rawValue: 1 << 5)
        static let punctuation = ByteClass(rawValue: 1 << 6)
    }

    private static let classes: [ByteClass] = {
        var table = [ByteClass](repeating: [], count: 256)
        func add(_ byteClass: ByteClass, _ bytes: some Sequence<UInt8>) {
            for byte in bytes { table[Int(byte)].insert(byteClass) }
        }
        add(.whitespace, " \t\n\r\u{0B}\u{0C}".utf8)
        add(.digit, "0123456789".utf8)
        add(.hexDigit, "0123456789abcdefABCDEF".utf8)
        add(.identifierStart, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_".utf8)
        add(.identifierStart, 0x80...0xFF)
        add(.operatorCharacter, "~!@#^&|`?+-*/%<>=".utf8)
        add(.nonMathOperatorCharacter, "~!@#^&|`?%".utf8)
        add(.punctuation, "()[],;.:".utf8)
        return table
    }()

    private static func byte(_ byte: UInt8, is byteClass: ByteClass) -> Bool {
        classes[Int(byte)].contains(byteClass)
    }

    static func isWhitespace(_ byte: UInt8) -> Bool { self.byte(byte, is: .whitespace) }
    static func isDigit(_ byte: UInt8) -> Bool { self.byte(byte, is: .digit) }
    static func isHexDigit(_ byte: UInt8) -> Bool { self.byte(byte, is: .hexDigit) }
    static func isIdentifierStart(_ byte: UInt8) -> Bool { self.byte(byte, is: .identifierStart) }
    static func isOperatorCharacter(_ byte: UInt8) -> Bool { self.byte(byte, is: .operatorCharacter) }
    static func isPunctuation(_ byte: UInt8) -> Bool { self.byte(byte, is: .punctuation) }

    static func isNonMathOperatorCharacter(_ byte: UInt8) -> Bool {
        self.byte(byte, is: .nonMathOperatorCharacter)
    }

    /// PostgreSQL's `dolq_cont`: what may follow the first character of a dollar-quote tag.
    static func isDollarTagContinuation(_ byte: UInt8) -> Bool {
        classes[Int(byte)].contains(.identifierStart) || classes[Int(byte)].contains(.digit)
    }

    /// PostgreSQL's `ident_cont`: dollar-quote tag characters plus `$`.
    static func isIdentifierContinuation(_ byte: UInt8) -> Bool {
        isDollarTagContinuation(byte) || byte == dollar
    }

    static func hexDigitValue(_ byte: UInt8) -> UInt8? {
        guard isHexDigit(byte) else { return nil }
        return isDigit(byte) ? byte - UInt8(ascii: "0") : lowercased(byte) - UInt8(ascii: "a") + 10
    }

    static func lowercased(_ byte: UInt8) -> UInt8 {
        (0x41...0x5A).contains(byte) ? byte | 0x20 : byte
    }

    static func uppercased(_ byte: UInt8) -> UInt8 {
        (0x61...0x7A).contains(byte) ? byte & 0xDF : byte
    }

    /// Whether `text` equals `keyword`, ignoring ASCII case.
    static func equalsIgnoringCase(_ text: Substring, _ keyword: String) -> Bool {
        text.utf8.elementsEqual(keyword.utf8) { lowercased($0) == lowercased($1) }
    }
}
