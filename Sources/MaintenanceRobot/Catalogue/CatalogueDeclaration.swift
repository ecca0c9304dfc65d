import Crypto

/// A catalogue as declared — its steps as written in Swift or read from a step directory — checked for
/// everything that needs no lexing: there is a step, every step has a name, no id is used twice.
///
/// This is how a warm boot stays a couple of round trips whatever the history length (a design choice, not a
/// speed trick): lexing every step is most of what loading a catalogue costs, and the ledger keeps the
/// ``digest`` of the last declaration a run left applied in full. A declaration with that digest has been
/// lexed, validated and applied by this very robot release already, so a run of a step directory compares
/// one value and lexes its steps only when the ledger does not record them (``validated()``).
package struct CatalogueDeclaration: Sendable {
    /// The steps in order, each with its ``Step/id`` set (by default the zero-padded position).
    package let steps: [Step]
    /// Where the steps came from: a directory path, or `Swift` for a compiled-in array.
    package let source: String
    /// A SHA-256 hex digest of everything declared — each step's id, position, name, flags and SQL exactly
    /// as written — and of the robot release that judges it, since another release may lex or checksum
    /// differently.
    package let digest: String

    /// Checks `steps` for everything but their SQL.
    /// - Throws: ``CatalogueError`` listing every unnamed or repeated step, or that there is none.
    package init(_ steps: [Step], source: String = "Swift") throws(CatalogueError) {
        self.init(resolving: steps, source: source)
        let problems = problems
        guard problems.isEmpty else { throw CatalogueError(problems: problems) }
    }

    /// The declaration of `steps`, whatever their problems (see ``problems``).
    init(resolving steps: [Step], source: String) {
        self.steps = steps.enumerated().map { index, step in
            var step = step
            step.id = step.id ?? Self.defaultID(position: index + 1)
            return step
        }
        self.source = source
        digest = Self.digest(of: self.steps)
    }

    /// Lexes every step and checks the rest: each has a statement and lexes to the end, and (unless the linter
    /// asks otherwise) no step that runs in a transaction controls it.
    /// - Throws: ``CatalogueError`` listing every problem of the catalogue.
    package func validated(refusingTransactionControl: Bool = true) throws(CatalogueError) -> Catalogue {
        try Catalogue(declaration: self, refusingTransactionControl: refusingTransactionControl)
    }

    /// The problems that need no lexing: no steps, unnamed steps, repeated ids.
    var problems: [CatalogueError.Problem] {
        var problems: [CatalogueError.Problem] = []
        if steps.isEmpty { problems.append(.noSteps(source: source)) }
        var firstIndexOfID: [String: Int] = [:]
        for (index, step) in steps.enumerated() {
            let id = step.id ?? ""
            if let first = firstIndexOfID[id] {
                problems.append(.duplicateID(id, first: Self.place(of: steps[first], position: first + 1),
                                             second: Self.place(of: step, position: index + 1)))
            } else {
                firstIndexOfID[id] = index
            }
            if step.name.allSatisfy(\.isWhitespace) { problems.append(.emptyName(step: Self.place(of: step, position: index + 1))) }
        }
        return problems
    }

    /// `step 7 (Steps/0007_x.sql)`, for messages.
    static func place(of step: Step, position: Int) -> String {
        "step \(position) (\(step.origin))"
    }

    /// `0007` for position 7.
    static func defaultID(position: Int) -> String {
        let digits = String(position)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }

    /// Every text length-prefixed and every number of fixed width, so that no two declarations hash the
    /// same bytes.
    private static func digest(of steps: [Step]) -> String {
        var hash = SHA256()
        func number(_ value: Int) {
            withUnsafeBytes(of: Int64(value).littleEndian) { hash.update(bufferPointer: $0) }
        }
        func text(_ text: String) {
            number(text.utf8.count)
            hash.update(data: Array(text.utf8))
        }
        text("maintenance-robot \(Robot.version)")
        for (index, step) in steps.enumerated() {
            number(index + 1)
            number((step.isCritical ? 1 : 0) | (step.runsInTransaction ? 2 : 0))
            text(step.id ?? "")
            text(step.name)
            text(step.sql)
        }
        return Checksum.hex(of: hash.finalize())
    }
}
