/// The significant tokens of one statement, with the questions the rules ask of them.
package struct TokenView {
    package let tokens: [SQLToken]

    package init<Tokens: Sequence<SQLToken>>(_ tokens: Tokens) {
        self.tokens = tokens.filter { !$0.isComment }
    }

    /// Whether the tokens from `index` on are the words `keywords`.
    package func matches(_ index: Int, _ keywords: String...) -> Bool {
        guard index >= 0, index + keywords.count <= tokens.count else { return false }
        return keywords.indices.allSatisfy { tokens[index + $0].isWord(keywords[$0]) }
    }

    package func isWord(_ index: Int, _ keyword: String) -> Bool {
        index < tokens.count && tokens[index].isWord(keyword)
    }

    /// The first index at or after `start` outside parentheses whose token satisfies `predicate`.
    package func firstTopLevel(from start: Int, where predicate: (SQLToken) -> Bool) -> Int? {
        var depth = 0
        var index = start
        while index < tokens.count {
            let token = tokens[index]
            if depth == 0, predicate(token) { return index }
            if token.kind == .punctuation {
                if token.text == "(" || token.text == "[" { depth += 1 }
                if token.text == ")" || token.text == "]" { depth = max(0, depth - 1) }
            }
            index += 1
        }
        return nil
    }

    /// The first index of the word sequence `keywords` outside parentheses, from `start`.
    package func firstTopLevel(from start: Int = 0, words keywords: String...) -> Int? {
        var from = start
        while let index = firstTopLevel(from: from, where: { $0.isWord(keywords[0]) }) {
            if keywords.indices.allSatisfy({ isWord(index + $0, keywords[$0]) }) { return index }
            from = index + 1
        }
        return nil
    }

    /// The pieces between top-level commas of `range`.
    package func splitAtTopLevelCommas(_ range: Range<Int>) -> [Range<Int>] {
        var pieces: [Range<Int>] = []
        var pieceStart = range.lowerBound
        var depth = 0
        for index in range {
            let token = tokens[index]
            guard token.kind == .punctuation else { continue }
            switch token.text {
            case "(", "[": depth += 1
            case ")", "]": depth = max(0, depth - 1)
            case "," where depth == 0:
                pieces.append(pieceStart..<index)
                pieceStart = index + 1
            default: break
            }
        }
        pieces.append(pieceStart..<range.upperBound)
        return pieces.filter { !$0.isEmpty }
    }

    /// The index of the `)` matching the `(` at `open`, or the end.
    package func closingParenthesis(of open: Int) -> Int {
        var depth = 0
        for index in open..<tokens.count where tokens[index].kind == .punctuation {
            if tokens[index].text == "(" { depth += 1 }
            if tokens[index].text == ")" {
                depth -= 1
                if depth == 0 { return index }
            }
        }
        return tokens.count
    }

    /// A possibly schema-qualified name starting at `index`: its normalised text and the index after it.
    package func qualifiedName(at index: Int) -> (name: String, next: Int)? {
        guard index < tokens.count, Self.isName(tokens[index]) else { return nil }
        var parts = [Self.normalised(tokens[index])]
        var next = index + 1
        while next + 1 < tokens.count, tokens[next].text == ".", Self.isName(tokens[next + 1]) {
            parts.append(Self.normalised(tokens[next + 1]))
            next += 2
        }
        if parts.count > 1, parts[0] == "public" { parts.removeFirst() }
        return (parts.joined(separator: "."), next)
    }

    package static func isName(_ token: SQLToken) -> Bool {
        token.kind == .word || token.kind == .quotedIdentifier
    }

    /// Words fold to lower case as PostgreSQL folds unquoted names; quoted identifiers keep their case.
    package static func normalised(_ token: SQLToken) -> String {
        token.kind == .word ? token.value.lowercased() : token.value
    }

    /// The tokens of `range` as one normalised string, for comparing definitions.
    package func normalisedText(_ range: Range<Int>) -> String {
        tokens[range].map { $0.kind == .word ? $0.value.lowercased() : String($0.text) }.joined(separator: " ")
    }
}
