/// One element of the list, as written: its string literals (several when adjacent literals are joined), the
/// comment lines directly above it, and where it starts.
struct ListElement: Sendable {
    let literals: [PythonStringLiteral]
    /// Where the element's first token is.
    let start: PythonLocation
    /// The text of the comment lines directly above the element (no blank line between), without `#`.
    let comments: [String]
}

/// Finds the list literal assigned to a name anywhere in a module — at the top level, in a class or inside a
/// function — and reads its elements, each one or more string literals.
///
/// Accepts `NAME = [`, `NAME: list[str] = [` and any annotation; adjacent literals, literals joined with `+`,
/// and parentheses around them. Everything else that could build a string at run time is refused with its place.
struct StepListReader {
    private let tokens: [PythonToken]
    private let name: String

    /// Where the list's `[` is, and its elements in order.
    private(set) var listStart = PythonLocation(line: 1, column: 1)
    private(set) var elements: [ListElement] = []

    init(_ source: String, listName: String) throws(LocatedProblem) {
        tokens = try PythonTokenizer.tokens(source)
        name = listName
        let open = try listOpening()
        listStart = tokens[open].start
        elements = try readElements(after: open)
        try refuseChangesAtRunTime()
    }

    // MARK: Finding the list

    /// The index of the `[` of the one list literal assigned to the name.
    private func listOpening() throws(LocatedProblem) -> Int {
        var values: [Int] = []
        for index in tokens.indices where tokens[index].isName(name) && startsStatement(index) {
            if let value = assignedValue(afterNameAt: index) { values.append(value) }
        }
        guard let value = values.first else { throw LocatedProblem(.listNotFound(name: name), at: nil) }
        if values.count > 1 {
            throw LocatedProblem(.assignedTwice(name: name, first: tokens[values[0]].start), at: tokens[values[1]].start)
        }
        guard tokens[value].isOperator("[") else { throw LocatedProblem(.notAList(name: name), at: tokens[value].start) }
        return value
    }

    /// Whether the token at `index` is the first of a statement: at the start of a logical line, or after `;`
    /// or the `:` of a one-line compound statement.
    private func startsStatement(_ index: Int) -> Bool {
        guard let previous = previousSignificant(before: index) else { return true }
        return tokens[previous].kind == .newline || tokens[previous].isOperator(";") || tokens[previous].isOperator(":")
    }

    /// For `NAME = value` or `NAME: annotation = value`, the index of the value's first token.
    private func assignedValue(afterNameAt index: Int) -> Int? {
        let next = skipTrivia(index + 1)
        if tokens[next].isOperator("=") { return skipTrivia(next + 1) }
        guard tokens[next].isOperator(":") else { return nil }
        var depth = 0
        var cursor = next + 1
        while cursor < tokens.count, tokens[cursor].kind != .newline, tokens[cursor].kind != .end {
            let token = tokens[cursor]
            if ["(", "[", "{"].contains(token.text) && token.kind == .operator { depth += 1 }
            if [")", "]", "}"].contains(token.text) && token.kind == .operator { depth -= 1 }
            if depth == 0 && token.isOperator("=") { return skipTrivia(cursor + 1) }
            cursor += 1
        }
        return nil
    }

    /// `NAME += …`, `NAME.append(…)`, `NAME.extend(…)`, `NAME.insert(…)`: steps added at run time.
    private func refuseChangesAtRunTime() throws(LocatedProblem) {
        for index in tokens.indices where tokens[index].isName(name) && startsStatement(index) {
            let next = skipTrivia(index + 1)
            if tokens[next].isOperator("+=") {
                throw LocatedProblem(.builtAtRunTime(name: name, how: "\(name) += …"), at: tokens[index].start)
            }
            let method = skipTrivia(next + 1)
            if tokens[next].isOperator("."), method < tokens.count, ["append", "extend", "insert"].contains(tokens[method].text) {
                throw LocatedProblem(.builtAtRunTime(name: name, how: "\(name).\(tokens[method].text)(…)"), at: tokens[index].start)
            }
        }
    }

    // MARK: Reading the elements

    private func readElements(after open: Int) throws(LocatedProblem) -> [ListElement] {
        var elements: [ListElement] = []
        var commentBlock: [PythonToken] = []
        var index = open + 1
        while true {
            let token = tokens[index]
            switch token.kind {
            case .end:
                throw LocatedProblem(.unclosedList(name: name), at: tokens[open].start)
            case .comment:
                if isOnItsOwnLine(index) {
                    // A blank line between two comments starts a new block.
                    if let last = commentBlock.last, last.start.line != token.start.line - 1 { commentBlock = [] }
                    commentBlock.append(token)
                }
                index += 1
            case .newline, .nonLogicalNewline:
                index += 1
            default:
                if token.isOperator("]") { return elements }
                let isDirectlyAbove = commentBlock.last.map { $0.start.line == token.start.line - 1 } ?? false
                let comments = isDirectlyAbove ? commentBlock.map(Self.commentText) : []
                commentBlock = []
                let (literals, end) = try concatenation(at: index)
                elements.append(ListElement(literals: literals, start: token.start, comments: comments))
                let separator = skipTrivia(end)
                if tokens[separator].isOperator("]") { return elements }
                if tokens[separator].kind == .end { throw LocatedProblem(.unclosedList(name: name), at: tokens[open].start) }
                guard tokens[separator].isOperator(",") else { throw refusal(at: separator) }
                index = separator + 1
            }
        }
    }

    /// Literals joined by `+` from `index`; returns them and the index after the last.
    private func concatenation(at index: Int) throws(LocatedProblem) -> ([PythonStringLiteral], Int) {
        var (literals, end) = try term(at: index)
        while true {
            let plus = skipTrivia(end)
            guard tokens[plus].isOperator("+") else { return (literals, end) }
            let operand = skipTrivia(plus + 1)
            guard tokens[operand].kind == .string || tokens[operand].isOperator("(") else {
                throw LocatedProblem(.notALiteral(.concatenation(operand: expressionText(at: operand))), at: tokens[operand].start)
            }
            let (more, next) = try term(at: operand)
            literals += more
            end = next
        }
    }

    /// Adjacent string literals, or a parenthesised concatenation, from `index`.
    private func term(at index: Int) throws(LocatedProblem) -> ([PythonStringLiteral], Int) {
        let token = tokens[index]
        if token.isOperator("(") {
            let first = skipTrivia(index + 1)
            if tokens[first].isOperator(")") { throw LocatedProblem(.notALiteral(.tuple), at: token.start) }
            let (literals, end) = try concatenation(at: first)
            let close = skipTrivia(end)
            guard tokens[close].isOperator(")") else { throw refusal(at: close) }
            return (literals, close + 1)
        }
        guard token.kind == .string else { throw nonLiteral(at: index) }
        var literals: [PythonStringLiteral] = []
        var cursor = index
        while tokens[cursor].kind == .string, let literal = tokens[cursor].literal {
            if literal.isFormatted { throw LocatedProblem(.notALiteral(.fString), at: tokens[cursor].start) }
            if literal.isTemplate { throw LocatedProblem(.notALiteral(.templateString), at: tokens[cursor].start) }
            if literal.isBytes { throw LocatedProblem(.notALiteral(.bytes), at: tokens[cursor].start) }
            literals.append(literal)
            cursor = skipTrivia(cursor + 1)
        }
        // The index after the last literal, so that the caller sees the comments after it too.
        var end = cursor
        while end > index, tokens[end - 1].isTrivia { end -= 1 }
        return (literals, end)
    }

    /// Why the token at `index`, where an element begins, is no literal.
    private func nonLiteral(at index: Int) -> LocatedProblem {
        let token = tokens[index]
        guard token.kind == .name else { return LocatedProblem(.notALiteral(.expression(expressionText(at: index))), at: token.start) }
        let (dotted, next) = dottedName(at: index)
        let what: ImportError.NonLiteral = tokens[skipTrivia(next)].isOperator("(") ? .call(dotted) : .name(dotted)
        return LocatedProblem(.notALiteral(what), at: token.start)
    }

    /// Why the token at `index`, after a complete element, is neither `,` nor the list's end.
    private func refusal(at index: Int) -> LocatedProblem {
        let token = tokens[index]
        let what: ImportError.NonLiteral
        if token.isOperator("."), tokens[skipTrivia(index + 1)].isName("format") {
            what = .formatMethod
        } else if token.isOperator("%") {
            what = .percentFormat
        } else if token.isName("for") || token.isName("async") {
            what = .comprehension
        } else if token.isName("if") {
            what = .conditional
        } else if token.isOperator(",") {
            what = .tuple
        } else if token.isOperator("."), case let member = skipTrivia(index + 1), tokens[member].kind == .name {
            what = .expression("." + expressionText(at: member))
        } else {
            what = .expression(expressionText(at: index))
        }
        return LocatedProblem(.notALiteral(what), at: token.start)
    }

    /// `settings.SCHEMA` from its first name; returns it and the index after it.
    private func dottedName(at index: Int) -> (String, Int) {
        var text = tokens[index].text
        var next = index + 1
        while tokens[skipTrivia(next)].isOperator("."), case let part = skipTrivia(skipTrivia(next) + 1), tokens[part].kind == .name {
            text += "." + tokens[part].text
            next = part + 1
        }
        return (text, next)
    }

    /// A short rendering of what starts at `index`, for a message: a dotted name, a call, or the token.
    private func expressionText(at index: Int) -> String {
        guard tokens[index].kind == .name else { return tokens[index].text }
        let (dotted, next) = dottedName(at: index)
        return tokens[skipTrivia(next)].isOperator("(") ? dotted + "(…)" : dotted
    }

    // MARK: Tokens

    private func skipTrivia(_ index: Int) -> Int {
        var index = index
        while index < tokens.count - 1, tokens[index].isTrivia { index += 1 }
        return min(index, tokens.count - 1)
    }

    private func previousSignificant(before index: Int) -> Int? {
        var index = index - 1
        while index >= 0, tokens[index].isTrivia { index -= 1 }
        return index >= 0 ? index : nil
    }

    /// Whether the comment at `index` is alone on its line (not after code).
    private func isOnItsOwnLine(_ index: Int) -> Bool {
        index == 0 || tokens[index - 1].kind == .nonLogicalNewline || tokens[index - 1].kind == .newline
    }

    /// `1b. Pre-clean config` from `#   1b. Pre-clean config  `.
    private static func commentText(_ comment: PythonToken) -> String {
        String(comment.text.drop { $0 == "#" }).trimmingBlanks()
    }
}

extension StringProtocol {
    /// The text without leading and trailing blanks (spaces, tabs and line breaks).
    func trimmingBlanks() -> String {
        String(drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }
}
