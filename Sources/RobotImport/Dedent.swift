import RobotSQL

/// Removing the indentation a triple-quoted Python string carries, as `textwrap.dedent` does, where that
/// changes nothing PostgreSQL keeps.
enum Dedent {
    /// `text` as Python's `textwrap.dedent` returns it: the longest run of spaces and tabs common to the start
    /// of every line that is not blank is removed, and lines of only spaces and tabs become empty.
    static func dedent(_ text: String) -> String {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let margin = Self.margin(of: lines)
        return lines.map { line in
            if isBlank(line) { return "" }
            return String(line.dropFirst(margin.count))
        }.joined(separator: "\n")
    }

    /// The SQL of an element as a step file holds it: without the line break right after an opening `"""`
    /// (`dropsLeadingLineBreak`), and dedented, unless dedenting would change a literal that PostgreSQL keeps
    /// (a function's body, a multi-line string stored in a table): then it keeps its indentation, byte for byte.
    static func stepSQL(_ value: String, dropsLeadingLineBreak: Bool) -> (sql: String, isDedented: Bool) {
        let text = dropsLeadingLineBreak && value.hasPrefix("\n") ? String(value.dropFirst()) : value
        let dedented = dedent(text)
        guard dedented != text else { return (text, true) }
        guard let kept = keptLiterals(in: text) else { return (text, false) }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let margin = Self.margin(of: lines)
        var offset = 0
        for line in lines {
            let changes = isBlank(line) ? !line.isEmpty : !margin.isEmpty
            if changes, kept.contains(where: { $0.lowerBound < offset && offset < $0.upperBound }) { return (text, false) }
            offset += line.utf8.count + 1
        }
        return (dedented, true)
    }

    /// The UTF-8 ranges of the literals PostgreSQL keeps: every string, dollar-quoted string and quoted
    /// identifier, except the bodies of DO blocks (run once, kept nowhere), whose own literals are kept again.
    /// `nil` when the SQL does not lex.
    private static func keptLiterals(in sql: String) -> [Range<Int>]? {
        guard let statements = try? SQLStatementSplitter.split(sql) else { return nil }
        var ranges: [Range<Int>] = []
        for statement in statements {
            let isDoBlock = statement.significantTokens.first?.isWord("DO") == true
            for token in statement.tokens where isLiteral(token) {
                guard isDoBlock, let bodyStart = token.bodyStart else {
                    ranges.append(token.start.utf8Offset..<token.end.utf8Offset)
                    continue
                }
                guard let inner = try? SQLLexer(token.value, origin: bodyStart).tokens() else { return nil }
                ranges += inner.filter(isLiteral).map { $0.start.utf8Offset..<$0.end.utf8Offset }
            }
        }
        return ranges
    }

    private static func isLiteral(_ token: SQLToken) -> Bool {
        token.kind == .string || token.kind == .dollarString || token.kind == .quotedIdentifier
    }

    private static func isBlank(_ line: Substring) -> Bool {
        line.utf8.allSatisfy { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }
    }

    /// The whitespace common to the start of the lines that are not blank, as `textwrap.dedent` finds it.
    private static func margin<Lines: Sequence<Substring>>(of lines: Lines) -> Substring {
        var margin: Substring?
        for line in lines where !isBlank(line) {
            let indent = line.prefix { $0 == " " || $0 == "\t" }
            guard let current = margin else {
                margin = indent
                continue
            }
            if indent.hasPrefix(current) { continue }
            if current.hasPrefix(indent) {
                margin = indent
                continue
            }
            margin = current.prefix(zip(current, indent).prefix { $0 == $1 }.count)
        }
        return margin ?? ""
    }
}
