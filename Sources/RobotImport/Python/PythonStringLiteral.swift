/// One Python string literal as written: its prefix, its quotes and the text between them.
struct PythonStringLiteral: Sendable {
    /// The prefix as written: `""`, `r`, `U`, `Rb`, `f` …
    let prefix: String
    /// `'''…'''` or `"""…"""`.
    let isTriple: Bool
    /// The characters between the quotes, as written.
    let body: [Unicode.Scalar]
    /// Where ``body`` starts.
    let bodyStart: PythonLocation

    /// The prefixes Python accepts, lower-cased; `t` is a template string (Python 3.14).
    static let prefixes: Set<String> = ["", "r", "u", "f", "b", "t", "br", "rb", "fr", "rf", "tr", "rt"]

    var isRaw: Bool { prefix.lowercased().contains("r") }
    var isBytes: Bool { prefix.lowercased().contains("b") }
    var isFormatted: Bool { prefix.lowercased().contains("f") }
    var isTemplate: Bool { prefix.lowercased().contains("t") }

    /// Whether the body starts with a line break, as `"""` followed by the SQL on the next line does.
    var startsWithLineBreak: Bool { body.first == "\n" }

    /// The string's value: the body with its escape sequences decoded, unless the literal is raw.
    ///
    /// - Throws: the problem and where it is, for an escape that cannot be decoded here (`\N{…}`, a truncated
    ///   `\x`, `\u` or `\U`, or one that names no character).
    func value() throws(LocatedProblem) -> String {
        if isRaw { return String(String.UnicodeScalarView(body)) }
        var result = String.UnicodeScalarView()
        var index = 0
        var location = bodyStart
        func advance(_ count: Int) {
            for scalar in body[index..<min(index + count, body.count)] {
                if scalar == "\n" {
                    location.line += 1
                    location.column = 1
                } else {
                    location.column += 1
                }
            }
            index = min(index + count, body.count)
        }
        while index < body.count {
            let scalar = body[index]
            guard scalar == "\\", index + 1 < body.count else {
                result.append(scalar)
                advance(1)
                continue
            }
            let escapeStart = location
            let (decoded, length) = try Self.escape(in: body, at: index, location: escapeStart)
            result.append(contentsOf: decoded)
            advance(length)
        }
        return String(result)
    }

    /// The characters the escape sequence at `index` (a backslash) stands for, and its length.
    private static func escape(
        in body: [Unicode.Scalar], at index: Int, location: PythonLocation
    ) throws(LocatedProblem) -> ([Unicode.Scalar], Int) {
        let letter = body[index + 1]
        switch letter {
        case "\n": return ([], 2)
        case "\\", "'", "\"": return ([letter], 2)
        case "a": return (["\u{07}"], 2)
        case "b": return (["\u{08}"], 2)
        case "f": return (["\u{0C}"], 2)
        case "n": return (["\n"], 2)
        case "r": return (["\r"], 2)
        case "t": return (["\t"], 2)
        case "v": return (["\u{0B}"], 2)
        case "0"..."7":
            let digits = body[(index + 1)...].prefix(3).prefix { ("0"..."7").contains($0) }
            let value = digits.reduce(0) { $0 * 8 + Int($1.value - 48) }
            guard let scalar = Unicode.Scalar(value) else { throw LocatedProblem(.invalidEscape("\\" + String(String.UnicodeScalarView(digits))), at: location) }
            return ([scalar], 1 + digits.count)
        case "x", "u", "U":
            let width = letter == "x" ? 2 : letter == "u" ? 4 : 8
            let digits = body[(index + 2)...].prefix(width).prefix(while: \.properties.isASCIIHexDigit)
            let written = "\\" + String(letter) + String(String.UnicodeScalarView(digits))
            guard digits.count == width, let value = UInt32(String(String.UnicodeScalarView(digits)), radix: 16),
                  let scalar = Unicode.Scalar(value)
            else { throw LocatedProblem(.invalidEscape(written), at: location) }
            return ([scalar], 2 + width)
        case "N":
            let name = body[(index + 2)...].prefix { $0 != "}" }
            throw LocatedProblem(.namedEscape("\\N" + String(String.UnicodeScalarView(name)) + "}"), at: location)
        default:
            // Python keeps an unknown escape as it is, backslash included.
            return (["\\", letter], 2)
        }
    }
}
