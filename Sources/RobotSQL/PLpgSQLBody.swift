/// The structure of a PL/pgSQL body (a DO block or function), as a flat list of events: blocks, IFs and
/// loops opening and closing, exception handlers, and the statements between them.
package enum PLEvent {
    case openBlock
    case exceptionSection
    case when(conditions: [SQLToken])
    case openIf(condition: TokenView)
    case elsif(condition: TokenView)
    case openOther
    case close
    case statement(TokenView, comments: [SQLToken])
}

/// Turns the tokens of a PL/pgSQL body into ``PLEvent``s.
///
/// The body is cut at top-level `;`; the control words at the start of each piece (`BEGIN`,
/// `EXCEPTION WHEN … THEN`, `IF … THEN`, `LOOP`, `END IF` …) become events, and what remains is a statement.
package struct PLEventReader {
    package private(set) var events: [PLEvent] = []
    private var isInDeclareSection = false

    package init(tokens: [SQLToken]) {
        for piece in Self.pieces(tokens) {
            read(piece)
        }
    }

    private static func pieces(_ tokens: [SQLToken]) -> [[SQLToken]] {
        var pieces: [[SQLToken]] = []
        var current: [SQLToken] = []
        var depth = 0
        for token in tokens {
            if token.kind == .punctuation {
                if token.text == "(" { depth += 1 }
                if token.text == ")" { depth = max(0, depth - 1) }
                if token.text == ";", depth == 0 {
                    pieces.append(current)
                    current = []
                    continue
                }
            }
            current.append(token)
        }
        pieces.append(current)
        return pieces
    }

    private mutating func read(_ piece: [SQLToken]) {
        let view = TokenView(piece)
        var index = 0
        while index < view.tokens.count {
            let token = view.tokens[index]
            if token.text == "<<", let labelEnd = view.tokens[index...].firstIndex(where: { $0.text == ">>" }) {
                index = labelEnd + 1
                continue
            }
            if isInDeclareSection && !token.isWord("BEGIN") { return }
            guard token.kind == .word, let next = readControl(view, at: index) else {
                let comments = piece.filter { $0.isComment && $0.start < token.start }
                events.append(.statement(TokenView(view.tokens[index...]), comments: comments))
                return
            }
            index = next
        }
    }

    /// Reads the control word at `index`; returns where the rest of the piece starts, or nil for a statement.
    private mutating func readControl(_ view: TokenView, at index: Int) -> Int? {
        let end = view.tokens.count
        switch view.tokens[index].value {
        case "DECLARE":
            isInDeclareSection = true
            return end
        case "BEGIN":
            isInDeclareSection = false
            events.append(.openBlock)
            return index + 1
        case "EXCEPTION":
            events.append(.exceptionSection)
            return index + 1
        case "WHEN":
            let then = view.firstTopLevel(from: index + 1, words: "THEN") ?? end
            events.append(.when(conditions: Array(view.tokens[index + 1..<then])))
            return then + 1
        case "IF", "ELSIF", "ELSEIF":
            let then = view.firstTopLevel(from: index + 1, words: "THEN") ?? end
            let condition = TokenView(view.tokens[index + 1..<then])
            events.append(view.isWord(index, "IF") ? .openIf(condition: condition) : .elsif(condition: condition))
            return then + 1
        case "ELSE":
            return index + 1
        case "LOOP":
            events.append(.openOther)
            return index + 1
        case "FOR", "WHILE", "FOREACH":
            events.append(.openOther)
            return (view.firstTopLevel(from: index + 1, words: "LOOP") ?? end) + 1
        case "CASE":
            events.append(.openOther)
            return view.firstTopLevel(from: index + 1, words: "WHEN") ?? end
        case "END":
            events.append(.close)
            return end
        default:
            return nil
        }
    }
}
