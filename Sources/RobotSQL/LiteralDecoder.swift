/// Decodes the value of string literals and quoted identifiers from their exact source text.
///
/// Best effort: the lexer has already checked where a literal ends, so decoding never fails; escapes
/// PostgreSQL would reject decode to U+FFFD or to their literal text.
enum LiteralDecoder {
    static func decode(_ text: Substring) -> String {
        let bytes = Array(text.utf8)
        switch Unicode.Scalar(ASCII.lowercased(bytes[0])) {
        case "e":
            return decodeBackslashEscapes(bytes, openingQuote: 1)
        case "u":
            return decodeUnicodeLiteral(bytes)
        case "b", "x", "n":
            return String(decoding: undoubledBody(bytes, openingQuote: 1).body, as: UTF8.self)
        default:
            return String(decoding: undoubledBody(bytes, openingQuote: 0).body, as: UTF8.self)
        }
    }

    /// The text between the quote at `openingQuote` and its closing quote, doubled quotes undoubled.
    private static func undoubledBody(_ bytes: [UInt8], openingQuote: Int) -> (body: [UInt8], end: Int) {
        let quote = bytes[openingQuote]
        var body: [UInt8] = []
        var index = openingQuote + 1
        while index < bytes.count {
            if bytes[index] == quote {
                guard index + 1 < bytes.count, bytes[index + 1] == quote else { return (body, index + 1) }
                index += 1
            }
            body.append(bytes[index])
            index += 1
        }
        return (body, index)
    }

    /// `U&'…'` and `U&"…"`, with the escape character from a trailing `UESCAPE 'c'` clause if present.
    private static func decodeUnicodeLiteral(_ bytes: [UInt8]) -> String {
        let (body, end) = undoubledBody(bytes, openingQuote: 2)
        // The lexer only includes a UESCAPE clause of the form `UESCAPE 'c'`, so c is second to last.
        let escape = end < bytes.count ? bytes[bytes.count - 2] : ASCII.backslash
        var output = ScalarWriter()
        var index = 0
        while index < body.count {
            guard body[index] == escape, index + 1 < body.count else {
                output.append(byte: body[index])
                index += 1
                continue
            }
            if body[index + 1] == escape {
                output.append(byte: escape)
                index += 2
            } else if body[index + 1] == ASCII.plus, let code = hexValue(body, from: index + 2, digits: 6) {
                output.append(scalar: code)
                index += 8
            } else if let code = hexValue(body, from: index + 1, digits: 4) {
                output.append(scalar: code)
                index += 5
            } else {
                output.append(byte: escape)
                index += 1
            }
        }
        return output.string
    }

    /// `E'…'`: C-style backslash escapes as PostgreSQL documents them.
    private static func decodeBackslashEscapes(_ bytes: [UInt8], openingQuote: Int) -> String {
        var output = ScalarWriter()
        var index = openingQuote + 1
        while index < bytes.count {
            let byte = bytes[index]
            if byte == ASCII.singleQuote {
                guard index + 1 < bytes.count, bytes[index + 1] == ASCII.singleQuote else { break }
                output.append(byte: byte)
                index += 2
            } else if byte == ASCII.backslash, index + 1 < bytes.count {
                index = decodeBackslashEscape(bytes, at: index + 1, into: &output)
            } else {
                output.append(byte: byte)
                index += 1
            }
        }
        return output.string
    }

    /// Decodes the escape whose letter is at `index` and returns the index after it.
    private static func decodeBackslashEscape(_ bytes: [UInt8], at index: Int, into output: inout ScalarWriter) -> Int {
        let letter = bytes[index]
        switch Unicode.Scalar(letter) {
        case "b": output.append(byte: 0x08)
        case "f": output.append(byte: 0x0C)
        case "n": output.append(byte: ASCII.newline)
        case "r": output.append(byte: ASCII.carriageReturn)
        case "t": output.append(byte: UInt8(ascii: "\t"))
        case "0"..."7":
            let digits = bytes[index..<min(index + 3, bytes.count)].prefix(while: ASCII.isOctalDigit)
            output.append(byte: UInt8(truncatingIfNeeded: number(digits, radix: 8)))
            return index + digits.count
        case "x":
            let digits = bytes[(index + 1)..<min(index + 3, bytes.count)].prefix(while: ASCII.isHexDigit)
            guard !digits.isEmpty else {
                output.append(byte: letter)
                break
            }
            output.append(byte: UInt8(truncatingIfNeeded: number(digits, radix: 16)))
            return index + 1 + digits.count
        case "u", "U":
            let digitCount = letter == UInt8(ascii: "u") ? 4 : 8
            guard let code = hexValue(bytes, from: index + 1, digits: digitCount) else {
                output.append(byte: letter)
                break
            }
            output.append(scalar: code)
            return index + 1 + digitCount
        default:
            output.append(byte: letter)
        }
        return index + 1
    }

    /// The value of `digits`, which the caller has checked are digits of `radix`.
    private static func number(_ digits: ArraySlice<UInt8>, radix: Int) -> Int {
        Int(String(decoding: digits, as: UTF8.self), radix: radix) ?? 0
    }

    /// The value of exactly `digits` hex digits starting at `start`, or `nil` if they are not all there.
    private static func hexValue(_ bytes: [UInt8], from start: Int, digits: Int) -> UInt32? {
        guard start + digits <= bytes.count, bytes[start..<start + digits].allSatisfy(ASCII.isHexDigit) else { return nil }
        return UInt32(number(bytes[start..<start + digits], radix: 16))
    }
}

/// Collects decoded UTF-8, joining UTF-16 surrogate pairs written as two escapes.
private struct ScalarWriter {
    private var bytes: [UInt8] = []
    private var pendingHighSurrogate: UInt32?

    var string: String { String(decoding: bytes, as: UTF8.self) }

    mutating func append(byte: UInt8) {
        flushPendingSurrogate()
        bytes.append(byte)
    }

    mutating func append(scalar code: UInt32) {
        if (0xD800...0xDBFF).contains(code) {
            flushPendingSurrogate()
            pendingHighSurrogate = code
            return
        }
        var combined = code
        if (0xDC00...0xDFFF).contains(code), let high = pendingHighSurrogate {
            combined = 0x10000 + ((high - 0xD800) << 10) + (code - 0xDC00)
            pendingHighSurrogate = nil
        }
        flushPendingSurrogate()
        bytes.append(contentsOf: String(Unicode.Scalar(combined) ?? "\u{FFFD}").utf8)
    }

    /// A high surrogate without its low half is not a character.
    private mutating func flushPendingSurrogate() {
        guard pendingHighSurrogate != nil else { return }
        pendingHighSurrogate = nil
        bytes.append(contentsOf: "\u{FFFD}".utf8)
    }
}
