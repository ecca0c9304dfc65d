/// Decodes the value of a string literal or quoted identifier from its source text.
///
/// Best effort for escapes: `E''` strings understand the backslash escapes PostgreSQL documents
/// (`\n`, `\'`, `\x41`, `\101`, `\u00e9` …), `U&''` strings and identifiers the `\XXXX` and
/// `\+XXXXXX` forms with the default escape character. A `UESCAPE` clause is not applied.
enum LiteralDecoder {
    static func decode(_ text: Substring) -> String {
        let bytes = Array(text.utf8)
        var start = 0
        var style = Style.plain
        while start < bytes.count, bytes[start] != ASCII.singleQuote, bytes[start] != ASCII.doubleQuote {
            switch ASCII.uppercased(bytes[start]) {
            case UInt8(ascii: "E"): style = .escape
            case UInt8(ascii: "U"): style = .unicode
            default: break
            }
            start += 1
        }
        guard start < bytes.count else { return String(text) }
        let quote = bytes[start]
        var end = bytes.count
        if end - 1 > start, bytes[end - 1] == quote { end -= 1 }
        let body = Array(bytes[(start + 1)..<end])
        return String(decoding: decodeBody(body, quote: quote, style: style), as: UTF8.self)
    }

    private enum Style {
        case plain, escape, unicode
    }

    private static func decodeBody(_ body: [UInt8], quote: UInt8, style: Style) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(body.count)
        var index = 0
        while index < body.count {
            let byte = body[index]
            if byte == quote, index + 1 < body.count, body[index + 1] == quote {
                output.append(quote)
                index += 2
            } else if byte == ASCII.backslash, style != .plain, index + 1 < body.count {
                index = style == .escape
                    ? decodeBackslashEscape(body, at: index + 1, into: &output)
                    : decodeUnicodeEscape(body, at: index + 1, into: &output)
            } else {
                output.append(byte)
                index += 1
            }
        }
        return output
    }

    /// Decodes the escape whose letter is at `index`; returns the index after it.
    private static func decodeBackslashEscape(_ body: [UInt8], at index: Int, into output: inout [UInt8]) -> Int {
        let letter = body[index]
        switch letter {
        case UInt8(ascii: "n"): output.append(ASCII.newline)
        case UInt8(ascii: "t"): output.append(ASCII.tab)
        case UInt8(ascii: "r"): output.append(ASCII.carriageReturn)
        case UInt8(ascii: "b"): output.append(0x08)
        case UInt8(ascii: "f"): output.append(0x0C)
        case UInt8(ascii: "x"):
            let digits = body[(index + 1)..<min(index + 3, body.count)].prefix(while: ASCII.isHexDigit)
            guard !digits.isEmpty else {
                output.append(letter)
                return index + 1
            }
            output.append(digits.reduce(0) { $0 &* 16 &+ (ASCII.hexDigitValue($1) ?? 0) })
            return index + 1 + digits.count
        case UInt8(ascii: "0")...UInt8(ascii: "7"):
            let digits = body[index..<min(index + 3, body.count)].prefix { (UInt8(ascii: "0")...UInt8(ascii: "7")).contains($0) }
            output.append(digits.reduce(0) { $0 &* 8 &+ ($1 - UInt8(ascii: "0")) })
            return index + digits.count
        case UInt8(ascii: "u"), UInt8(ascii: "U"):
            let width = letter == UInt8(ascii: "u") ? 4 : 8
            return appendCodePoint(body, digitsAt: index + 1, width: width, into: &output) ?? {
                output.append(letter)
                return index + 1
            }()
        default:
            output.append(letter)
        }
        return index + 1
    }

    /// Decodes `\XXXX`, `\+XXXXXX` or `\\` with the letter at `index`; returns the index after it.
    private static func decodeUnicodeEscape(_ body: [UInt8], at index: Int, into output: inout [UInt8]) -> Int {
        if body[index] == ASCII.backslash {
            output.append(ASCII.backslash)
            return index + 1
        }
        if body[index] == ASCII.plus, let next = appendCodePoint(body, digitsAt: index + 1, width: 6, into: &output) {
            return next
        }
        if let next = appendCodePoint(body, digitsAt: index, width: 4, into: &output) { return next }
        output.append(ASCII.backslash)
        return index
    }

    /// Appends the UTF-8 of the code point written as `width` hex digits at `index`, or returns `nil`.
    private static func appendCodePoint(_ body: [UInt8], digitsAt index: Int, width: Int, into output: inout [UInt8]) -> Int? {
        guard index + width <= body.count else { return nil }
        let digits = body[index..<(index + width)]
        guard digits.allSatisfy(ASCII.isHexDigit) else { return nil }
        let value = digits.reduce(UInt32(0)) { $0 &* 16 &+ UInt32(ASCII.hexDigitValue($1) ?? 0) }
        guard let scalar = Unicode.Scalar(value) else { return nil }
        output.append(contentsOf: Array(String(Character(scalar)).utf8))
        return index + width
    }
}
