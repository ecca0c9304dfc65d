/// Cuts Python source into tokens: names, numbers, string literals of every prefix, operators, comments and
/// line breaks, with their places.
///
/// Enough of Python's lexical rules to find a list of string literals anywhere in a module without being fooled
/// by the rest of it: strings of every kind (f-strings with nested quotes and replacement fields, as Python 3.12
/// reads them), comments, line continuations, and brackets (inside which a line break ends no statement).
/// Indentation is not tracked: nothing here needs it.
struct PythonTokenizer {
    private let scalars: [Unicode.Scalar]
    private var index = 0
    private var location = PythonLocation(line: 1, column: 1)
    /// The depth of open brackets.
    private var depth = 0
    /// Whether the current logical line has a token yet (a comment does not count).
    private var lineHasTokens = false

    /// `source` with its line endings made `\n`, as Python reads a source file.
    init(_ source: String) {
        var scalars: [Unicode.Scalar] = []
        scalars.reserveCapacity(source.unicodeScalars.count)
        var previousWasReturn = false
        for scalar in source.unicodeScalars {
            if scalar == "\r" {
                scalars.append("\n")
            } else if !(scalar == "\n" && previousWasReturn) {
                scalars.append(scalar)
            }
            previousWasReturn = scalar == "\r"
        }
        self.scalars = scalars
    }

    /// Every token of the source, ending with ``PythonToken/Kind/end``.
    static func tokens(_ source: String) throws(LocatedProblem) -> [PythonToken] {
        var tokenizer = PythonTokenizer(source)
        var tokens: [PythonToken] = []
        while true {
            let token = try tokenizer.next()
            tokens.append(token)
            if token.kind == .end { return tokens }
        }
    }

    mutating func next() throws(LocatedProblem) -> PythonToken {
        while let scalar = peek() {
            switch scalar {
            case " ", "\t", "\u{0C}":
                advance()
            case "\\" where peek(1) == "\n":
                // A line continuation joins the next line to this one.
                advance(2)
            case "\n":
                let start = location
                advance()
                let isLogical = depth == 0 && lineHasTokens
                if isLogical { lineHasTokens = false }
                return PythonToken(isLogical ? .newline : .nonLogicalNewline, "\n", start: start, end: location)
            case "#":
                let start = location
                let text = take { $0 != "\n" }
                return PythonToken(.comment, text, start: start, end: location)
            default:
                lineHasTokens = true
                return try significantToken()
            }
        }
        if lineHasTokens && depth == 0 {
            lineHasTokens = false
            return PythonToken(.newline, "", start: location, end: location)
        }
        return PythonToken(.end, "", start: location, end: location)
    }

    /// A name, number, string or operator at the current position.
    private mutating func significantToken() throws(LocatedProblem) -> PythonToken {
        let (start, startIndex) = (location, index)
        guard let scalar = peek() else { return PythonToken(.end, "", start: start, end: start) }
        if scalar == "'" || scalar == "\"" { return try string(prefix: "", start: start, startIndex: startIndex) }
        if Self.isIdentifierStart(scalar) {
            let name = take(while: Self.isIdentifierContinuation)
            if let quote = peek(), quote == "'" || quote == "\"", PythonStringLiteral.prefixes.contains(name.lowercased()) {
                return try string(prefix: name, start: start, startIndex: startIndex)
            }
            return PythonToken(.name, name, start: start, end: location)
        }
        if Self.isDigit(scalar) || (scalar == "." && peek(1).map(Self.isDigit) == true) {
            return PythonToken(.number, number(), start: start, end: location)
        }
        let text = operatorText()
        switch text {
        case "(", "[", "{": depth += 1
        case ")", "]", "}": depth = max(0, depth - 1)
        default: break
        }
        return PythonToken(.operator, text, start: start, end: location)
    }

    private static let threeCharacterOperators: Set<String> = ["**=", "//=", ">>=", "<<=", "..."]
    private static let twoCharacterOperators: Set<String> = [
        "**", "//", ">>", "<<", "<=", ">=", "==", "!=", "->", "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "@=", ":=",
    ]

    private mutating func operatorText() -> String {
        for length in [3, 2] {
            let candidate = String(String.UnicodeScalarView(scalars[index..<min(index + length, scalars.count)]))
            if (length == 3 ? Self.threeCharacterOperators : Self.twoCharacterOperators).contains(candidate) {
                advance(length)
                return candidate
            }
        }
        let text = String(scalars[index])
        advance()
        return text
    }

    /// A numeric literal, read loosely: digits, letters, `_` and `.`, and a sign right after an exponent's `e`.
    private mutating func number() -> String {
        var text = String.UnicodeScalarView()
        let isHex = peek() == "0" && (peek(1) == "x" || peek(1) == "X")
        while let scalar = peek() {
            let afterExponent = !isHex && (text.last == "e" || text.last == "E")
            guard scalar.isASCII && (scalar.properties.isAlphabetic || Self.isDigit(scalar) || scalar == "_" || scalar == ".")
                || (afterExponent && (scalar == "+" || scalar == "-"))
            else { break }
            text.append(scalar)
            advance()
        }
        return String(text)
    }

    /// A string literal whose opening quote is at the current position, its `prefix` already read from
    /// `startIndex` on.
    private mutating func string(prefix: String, start: PythonLocation, startIndex: Int) throws(LocatedProblem) -> PythonToken {
        guard let quote = peek() else { throw LocatedProblem(.unterminatedString, at: start) }
        let isTriple = peek(1) == quote && peek(2) == quote
        advance(isTriple ? 3 : 1)
        let bodyStart = location
        let bodyIndex = index
        let isFormatted = prefix.lowercased().contains("f") || prefix.lowercased().contains("t")
        try skipBody(quote: quote, isTriple: isTriple, isFormatted: isFormatted, start: start)
        let body = Array(scalars[bodyIndex..<index])
        advance(isTriple ? 3 : 1)
        let literal = PythonStringLiteral(prefix: prefix, isTriple: isTriple, body: body, bodyStart: bodyStart)
        let text = String(String.UnicodeScalarView(scalars[startIndex..<index]))
        return PythonToken(.string, text, start: start, end: location, literal: literal)
    }

    /// Moves to the closing quote of a string body. In f-strings and t-strings, replacement fields (`{…}`) are
    /// read as code, with strings of their own.
    private mutating func skipBody(quote: Unicode.Scalar, isTriple: Bool, isFormatted: Bool, start: PythonLocation) throws(LocatedProblem) {
        while true {
            guard let scalar = peek() else { throw LocatedProblem(.unterminatedString, at: start) }
            if isClosingQuote(quote, isTriple: isTriple) { return }
            switch scalar {
            case "\\":
                // Even in a raw string a backslash keeps the next character from closing the string.
                advance(2)
            case "\n" where !isTriple:
                throw LocatedProblem(.unterminatedString, at: start)
            case "{" where isFormatted && peek(1) == "{", "}" where isFormatted && peek(1) == "}":
                advance(2)
            case "{" where isFormatted:
                advance()
                try skipReplacementField(start: start)
            default:
                advance()
            }
        }
    }

    private func isClosingQuote(_ quote: Unicode.Scalar, isTriple: Bool) -> Bool {
        peek() == quote && (!isTriple || (peek(1) == quote && peek(2) == quote))
    }

    /// Moves past the `}` that closes the replacement field whose `{` was just read.
    private mutating func skipReplacementField(start: PythonLocation) throws(LocatedProblem) {
        let (savedDepth, savedLineHasTokens) = (depth, lineHasTokens)
        defer { (depth, lineHasTokens) = (savedDepth, savedLineHasTokens) }
        var fieldDepth = 0
        while true {
            while let scalar = peek(), scalar == " " || scalar == "\t" || scalar == "\n" { advance() }
            guard let scalar = peek() else { throw LocatedProblem(.unterminatedString, at: start) }
            if fieldDepth == 0 && scalar == "}" {
                advance()
                return
            }
            if fieldDepth == 0 && scalar == ":" && peek(1) != "=" {
                advance()
                try skipFormatSpec(start: start)
                return
            }
            let token = try next()
            guard token.kind != .end else { throw LocatedProblem(.unterminatedString, at: start) }
            if token.kind == .operator {
                if ["(", "[", "{"].contains(token.text) { fieldDepth += 1 }
                if [")", "]", "}"].contains(token.text) { fieldDepth -= 1 }
            }
        }
    }

    /// Moves past the `}` that ends a format spec (`:>10}`), whose nested fields (`{width}`) are code.
    private mutating func skipFormatSpec(start: PythonLocation) throws(LocatedProblem) {
        while true {
            guard let scalar = peek() else { throw LocatedProblem(.unterminatedString, at: start) }
            switch scalar {
            case "}":
                advance()
                return
            case "{":
                advance()
                try skipReplacementField(start: start)
            case "\\":
                advance(2)
            default:
                advance()
            }
        }
    }

    // MARK: Characters

    private func peek(_ offset: Int = 0) -> Unicode.Scalar? {
        index + offset < scalars.count ? scalars[index + offset] : nil
    }

    private mutating func advance(_ count: Int = 1) {
        for _ in 0..<count where index < scalars.count {
            if scalars[index] == "\n" {
                location.line += 1
                location.column = 1
            } else {
                location.column += 1
            }
            index += 1
        }
    }

    private mutating func take(while predicate: (Unicode.Scalar) -> Bool) -> String {
        var text = String.UnicodeScalarView()
        while let scalar = peek(), predicate(scalar) {
            text.append(scalar)
            advance()
        }
        return String(text)
    }

    private static func isDigit(_ scalar: Unicode.Scalar) -> Bool { ("0"..."9").contains(scalar) }

    private static func isIdentifierStart(_ scalar: Unicode.Scalar) -> Bool {
        scalar == "_" || (scalar.isASCII ? scalar.properties.isAlphabetic : scalar.properties.isXIDStart)
    }

    private static func isIdentifierContinuation(_ scalar: Unicode.Scalar) -> Bool {
        scalar == "_" || (scalar.isASCII ? (scalar.properties.isAlphabetic || isDigit(scalar)) : scalar.properties.isXIDContinue)
    }
}
