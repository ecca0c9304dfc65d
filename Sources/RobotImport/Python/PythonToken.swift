/// One token of Python source, as far as reading a list of string literals needs them.
struct PythonToken: Sendable {
    enum Kind: Sendable, Equatable {
        /// An identifier or keyword: `migration_steps`, `async`, `for`.
        case name
        /// A numeric literal, read loosely: `42`, `0x1F`, `1.5e-3`, `2j`.
        case number
        /// A string literal of any prefix; ``PythonToken/literal`` holds its parts.
        case string
        /// An operator or delimiter: `=`, `+=`, `(`, `,`, `.`, `:`, `->` …
        case `operator`
        /// `#` to the end of the line, without the line break.
        case comment
        /// The end of a logical line (a statement's end).
        case newline
        /// A line break that ends no statement: inside brackets, or after a blank or comment-only line.
        case nonLogicalNewline
        /// The end of the source.
        case end
    }

    let kind: Kind
    /// The exact source text.
    let text: String
    let start: PythonLocation
    let end: PythonLocation
    /// For ``Kind/string``: the literal's prefix, quotes and body.
    let literal: PythonStringLiteral?

    init(_ kind: Kind, _ text: String, start: PythonLocation, end: PythonLocation, literal: PythonStringLiteral? = nil) {
        self.kind = kind
        self.text = text
        self.start = start
        self.end = end
        self.literal = literal
    }

    func isOperator(_ text: String) -> Bool { kind == .operator && self.text == text }

    func isName(_ text: String) -> Bool { kind == .name && self.text == text }

    /// Comments and non-logical line breaks: what an expression inside brackets may have between its tokens.
    var isTrivia: Bool { kind == .comment || kind == .nonLogicalNewline }
}
