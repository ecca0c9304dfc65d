import MaintenanceRobot
import RobotSQL

/// Names for imported steps: from the comment above an element, else from the gist of its first statement.
enum StepNaming {
    // MARK: From a comment

    /// `Pre-clean Handoff Config (Drop if broken)` from `1b. Pre-clean Handoff Config (Drop if broken)`; `nil` when
    /// nothing but numbering or decoration is left.
    static func name(fromComment comment: String) -> String? {
        let lowercased = comment.lowercased()
        // Tool pragmas are not about the step: `# noqa: E501`, `# type: ignore`, `# fmt: off`.
        if pragmas.contains(where: { lowercased.hasPrefix($0) }) { return nil }
        let name = strippingNumbering(strippingDecoration(comment))
        return name.isEmpty ? nil : name
    }

    private static let pragmas = ["noqa", "type:", "pragma", "fmt:", "pylint:", "isort:", "nosec", "mypy:", "pyright:"]

    /// The comment without rulers around it: `--- Chat ---` → `Chat`.
    private static func strippingDecoration(_ text: String) -> String {
        let decoration: Set<Character> = ["-", "=", "*", "~", "#"]
        return String(text.drop { decoration.contains($0) || $0.isWhitespace }
            .reversed().drop { decoration.contains($0) || $0.isWhitespace }.reversed())
    }

    /// The text without a leading step number: `1.`, `1b.`, `9b)`, `2.3:`, `4 -`, `Step 3:`, `Step 3`.
    /// A number without a separator (`2024 cleanup`) is kept, unless `Step` came before it.
    static func strippingNumbering(_ text: String) -> String {
        var rest = Substring(text)
        var hasStepWord = false
        if rest.prefix(4).lowercased() == "step", rest.dropFirst(4).first.map({ $0 == " " || $0.isASCIIDigit }) == true {
            rest = rest.dropFirst(4).drop { $0 == " " }
            hasStepWord = true
        }
        guard readNumber(&rest) else { return text }
        if let separator = rest.first, [".", ")", ":"].contains(separator) {
            rest = rest.dropFirst()
        } else if let dash = rest.drop(while: { $0 == " " }).first, ["-", "–", "—"].contains(dash) {
            rest = rest.drop { $0 == " " }.dropFirst()
        } else if !hasStepWord {
            return text
        }
        guard rest.first.map(\.isWhitespace) ?? true else { return text }
        return rest.trimmingBlanks()
    }

    /// Reads `12`, `1b`, `2.3`, `4.1a` from the start of `rest`.
    private static func readNumber(_ rest: inout Substring) -> Bool {
        var read = rest
        func part() -> Bool {
            let digits = read.prefix { $0.isASCIIDigit }
            guard !digits.isEmpty else { return false }
            read = read.dropFirst(digits.count)
            let letters = read.prefix { $0.isASCII && $0.isLetter }
            if letters.count <= 2 { read = read.dropFirst(letters.count) }
            return true
        }
        guard part() else { return false }
        while read.first == ".", read.dropFirst().first?.isASCIIDigit == true {
            read = read.dropFirst()
            _ = part()
        }
        rest = read
        return true
    }

    // MARK: From the SQL

    /// What the first statement of `sql` does, in a few words: `Create index idx_chat_messages_media`,
    /// `Add column locale to users`; for a DO block, what the first statement inside it that changes something does.
    static func gist(of sql: String) -> String {
        guard let statements = try? SQLStatementSplitter.split(sql), let first = statements.first else {
            return sentence(sql.split(whereSeparator: \.isWhitespace).prefix(3).map { $0.lowercased() })
        }
        return gist(TokenView(first.significantTokens)) ?? sentence(leadingWords(TokenView(first.significantTokens)))
    }

    private static func gist(_ view: TokenView) -> String? {
        guard let verb = view.tokens.first, verb.kind == .word else { return nil }
        switch verb.value {
        case "CREATE": return created(view)
        case "ALTER": return altered(view)
        case "DROP": return dropped(view)
        case "INSERT": return object(in: view, after: ["INSERT", "INTO"]).map { "Insert into \($0)" }
        case "UPDATE": return object(in: view, after: ["UPDATE", "ONLY"]).map { "Update \($0)" }
        case "DELETE": return object(in: view, after: ["DELETE", "FROM", "ONLY"]).map { "Delete from \($0)" }
        case "TRUNCATE": return object(in: view, after: ["TRUNCATE", "TABLE", "ONLY"]).map { "Truncate \($0)" }
        case "COMMENT": return commented(view)
        case "DO": return doBlock(view) ?? "Do block"
        default: return nil
        }
    }

    /// `CREATE [OR REPLACE] [UNIQUE …] KIND [CONCURRENTLY] [IF NOT EXISTS] name`
    private static func created(_ view: TokenView) -> String? {
        let modifiers: Set<String> = ["OR", "REPLACE", "UNIQUE", "TEMP", "TEMPORARY", "UNLOGGED", "GLOBAL", "LOCAL", "TRUSTED", "PROCEDURAL", "CONSTRAINT", "RECURSIVE"]
        var index = 1
        while index < view.tokens.count, modifiers.contains(view.tokens[index].value) { index += 1 }
        guard let (kind, next) = kind(in: view, at: index) else { return nil }
        index = skipping(["CONCURRENTLY", "IF", "NOT", "EXISTS"], in: view, from: next)
        guard !view.isWord(index, "ON"), let (name, _) = view.qualifiedName(at: index) else { return "Create \(kind)" }
        return "Create \(kind) \(name)"
    }

    /// `ALTER TABLE t ADD COLUMN c` → `Add column c to t`; other ALTERs: `Alter KIND name`.
    private static func altered(_ view: TokenView) -> String? {
        guard let (kind, next) = kind(in: view, at: 1) else { return nil }
        let index = skipping(["IF", "EXISTS", "ONLY"], in: view, from: next)
        guard let (object, after) = view.qualifiedName(at: index) else { return "Alter \(kind)" }
        if kind == "type", view.matches(after, "ADD", "VALUE") {
            let value = skipping(["IF", "NOT", "EXISTS"], in: view, from: after + 2)
            return value < view.tokens.count ? "Add value \(view.tokens[value].value) to type \(object)" : "Alter type \(object)"
        }
        guard kind == "table", let action = view.tokens.indices.contains(after) ? view.tokens[after].value : nil else {
            return "Alter \(kind) \(object)"
        }
        switch action {
        case "ADD", "DROP", "ALTER", "RENAME":
            let (verb, preposition) = switch action {
            case "ADD": ("Add", "to")
            case "DROP": ("Drop", "from")
            case "ALTER": ("Alter", "of")
            default: ("Rename", "of")
            }
            if action == "RENAME", view.isWord(after + 1, "TO") { return "Rename \(object)" }
            var index = after + 1
            var part = "column"
            if view.isWord(index, "CONSTRAINT") {
                part = "constraint"
                index += 1
            } else if view.isWord(index, "COLUMN") {
                index += 1
            } else if ["PRIMARY", "UNIQUE", "CHECK", "FOREIGN", "EXCLUDE"].contains(view.tokens.indices.contains(index) ? view.tokens[index].value : "") {
                return "\(verb) \(leadingWords(TokenView(view.tokens[index...])).prefix(2).joined(separator: " ")) \(preposition) \(object)"
            }
            index = skipping(["IF", "NOT", "EXISTS"], in: view, from: index)
            guard let (name, _) = view.qualifiedName(at: index) else { return "Alter table \(object)" }
            return "\(verb) \(part) \(name) \(preposition) \(object)"
        default:
            return "Alter table \(object)"
        }
    }

    /// `DROP KIND [CONCURRENTLY] [IF EXISTS] name`
    private static func dropped(_ view: TokenView) -> String? {
        guard let (kind, next) = kind(in: view, at: 1) else { return nil }
        let index = skipping(["CONCURRENTLY", "IF", "EXISTS"], in: view, from: next)
        guard let (name, _) = view.qualifiedName(at: index) else { return "Drop \(kind)" }
        return "Drop \(kind) \(name)"
    }

    /// `COMMENT ON KIND name`
    private static func commented(_ view: TokenView) -> String? {
        guard view.isWord(1, "ON"), let (kind, next) = kind(in: view, at: 2) else { return nil }
        guard let (name, _) = view.qualifiedName(at: next) else { return "Comment on \(kind)" }
        return "Comment on \(kind) \(name)"
    }

    /// For a DO block, the gist of the first statement in its body that changes something.
    private static func doBlock(_ view: TokenView) -> String? {
        guard let body = view.tokens.first(where: { $0.kind == .dollarString || $0.kind == .string }),
              let tokens = try? SQLLexer(body.value).tokens()
        else { return nil }
        let verbs: Set<String> = ["CREATE", "ALTER", "DROP", "INSERT", "UPDATE", "DELETE", "TRUNCATE", "COMMENT"]
        for case .statement(let statement, _) in PLEventReader(tokens: tokens).events {
            guard let first = statement.tokens.first, first.kind == .word else { continue }
            if verbs.contains(first.value), let gist = gist(statement) { return gist }
            if first.value == "EXECUTE", statement.tokens.count > 1, statement.tokens[1].kind == .string || statement.tokens[1].kind == .dollarString {
                return gist(of: statement.tokens[1].value)
            }
        }
        return nil
    }

    /// The kind of object at `index`, lower-cased (`index`, `materialized view`), and the index after it.
    private static func kind(in view: TokenView, at index: Int) -> (String, Int)? {
        let kinds: Set<String> = [
            "TABLE", "INDEX", "VIEW", "FUNCTION", "PROCEDURE", "TRIGGER", "TYPE", "DOMAIN", "SCHEMA", "EXTENSION",
            "SEQUENCE", "POLICY", "ROLE", "USER", "AGGREGATE", "RULE", "PUBLICATION", "SUBSCRIPTION", "CAST", "COLLATION",
            "OPERATOR", "SERVER", "STATISTICS", "LANGUAGE", "CONVERSION", "COLUMN", "CONSTRAINT", "DATABASE",
        ]
        let twoWordKinds: [String: String] = ["MATERIALIZED": "VIEW", "EVENT": "TRIGGER", "FOREIGN": "TABLE", "ACCESS": "METHOD"]
        guard index < view.tokens.count, view.tokens[index].kind == .word else { return nil }
        let word = view.tokens[index].value
        if let second = twoWordKinds[word], view.isWord(index + 1, second) {
            return ("\(word) \(second)".lowercased(), index + 2)
        }
        return kinds.contains(word) ? (word.lowercased(), index + 1) : nil
    }

    /// The name after the leading `words` (each optional, in order) at the statement's start.
    private static func object(in view: TokenView, after words: [String]) -> String? {
        view.qualifiedName(at: skipping(words, in: view, from: 0))?.name
    }

    /// The index of the first token from `index` on that is none of `words`.
    private static func skipping(_ words: Set<String>, in view: TokenView, from index: Int) -> Int {
        var index = index
        while index < view.tokens.count, view.tokens[index].kind == .word, words.contains(view.tokens[index].value) { index += 1 }
        return index
    }

    private static func skipping(_ words: [String], in view: TokenView, from index: Int) -> Int {
        skipping(Set(words), in: view, from: index)
    }

    /// The statement's first names and keywords (at most four), lower-cased as PostgreSQL folds them.
    private static func leadingWords(_ view: TokenView) -> [String] {
        Array(view.tokens.prefix { TokenView.isName($0) }.prefix(4).map(TokenView.normalised))
    }

    /// `Grant select on tenants` from `["grant", "select", "on", "tenants"]`.
    private static func sentence(_ words: [String]) -> String {
        let text = words.joined(separator: " ")
        return text.isEmpty ? "Step" : text.prefix(1).uppercased() + text.dropFirst()
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
