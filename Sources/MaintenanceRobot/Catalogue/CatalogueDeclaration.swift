import Crypto

/// A catalogue as declared — its steps as written in Swift or read from a step directory — checked for
/// everything that needs no lexing: there is a step, every step has a name, no id is used twice.
///
/// Lexing every step is most of what loading a catalogue costs, and a warm boot does not need it: the
/// ledger keeps the ``digest`` of the last declaration a run left applied in full, and a declaration with
/// that digest has been lexed, validated and applied by this very robot release already. A robot made
/// with ``Robot/init(declaration:configuration:)`` therefore lexes its steps only when the ledger does not
/// record them; ``validated()`` lexes them and checks the rest.
public struct CatalogueDeclaration: Sendable {
    /// The steps in order, each with its ``Step/id`` set (by default the zero-padded position).
    public let steps: [Step]
    /// Where the steps came from: a directory path, or `Swift` for a compiled-in array.
    public let source: String
    /// A SHA-256 hex digest of everything declared — each step's id, position, name, flags and SQL exactly
    /// as written — and of the robot release that judges it, since another release may lex or checksum
    /// differently.
    public let digest: String

    /// Checks `steps` for everything but their SQL.
    /// - Throws: ``CatalogueError`` listing every unnamed or repeated step, or that there is none.
    public init(_ steps: [Step], source: String = "Swift") throws(CatalogueError) {
        self.init(resolving: steps, source: source)
        let problems = problems
        guard problems.isEmpty else { throw CatalogueError(problems: problems) }
    }

    /// The declaration of `steps`, whatever their problems (see ``problems``).
    init(resolving steps: [Step], source: String) {
        self.steps = steps.indices.allSatisfy { steps[$0].id != nil } ? steps : steps.enumerated().map { index, step in
            var step = step
            step.id = step.id ?? Self.defaultID(position: index + 1)
            return step
        }
        self.source = source
        digest = Self.digest(of: self.steps)
    }

    /// Lexes every step and checks the rest: each has a statement and lexes to the end.
    /// - Throws: ``CatalogueError`` listing every problem of the catalogue.
    public func validated() throws(CatalogueError) -> Catalogue {
        try Catalogue(declaration: self)
    }

    /// The problems that need no lexing: no steps, unnamed steps, repeated ids.
    var problems: [CatalogueError.Problem] {
        var problems: [CatalogueError.Problem] = []
        if steps.isEmpty { problems.append(.noSteps(source: source)) }
        var firstIndexOfID: [String: Int] = [:]
        firstIndexOfID.reserveCapacity(steps.count)
        // By index: reading fields of each step copies none.
        for index in steps.indices {
            let id = steps[index].id ?? ""
            // One lookup for an id seen the first time; a repeated one keeps its first index.
            if let first = firstIndexOfID.updateValue(index, forKey: id) {
                firstIndexOfID[id] = first
                problems.append(.duplicateID(id, first: Self.place(of: steps[first], position: first + 1),
                                             second: Self.place(of: steps[index], position: index + 1)))
            }
            if Self.isBlank(steps[index].name) { problems.append(.emptyName(step: Self.place(of: steps[index], position: index + 1))) }
        }
        return problems
    }

    /// Whether `name` is empty or only white space; most names start with a letter, decided on one byte.
    private static func isBlank(_ name: String) -> Bool {
        guard let first = name.utf8.first, first >= 0x80 || first <= 0x20 || first == 0x7F else { return name.utf8.isEmpty }
        return name.allSatisfy(\.isWhitespace)
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
        // Everything in one buffer, hashed at once: a SHA-256 update per field costs more than the copy.
        var bytes: [UInt8] = []
        bytes.reserveCapacity(steps.indices.reduce(64) { $0 + 48 + steps[$1].name.utf8.count + steps[$1].sql.utf8.count })
        func number(_ value: Int) {
            withUnsafeBytes(of: Int64(value).littleEndian) { bytes.append(contentsOf: $0) }
        }
        func text(_ text: String) {
            number(text.utf8.count)
            bytes.append(contentsOf: text.utf8)
        }
        text("maintenance-robot \(Robot.version)")
        // By index: reading fields of each step copies none.
        for index in steps.indices {
            number(index + 1)
            number((steps[index].isCritical ? 1 : 0) | (steps[index].runsInTransaction ? 2 : 0))
            text(steps[index].id ?? "")
            text(steps[index].name)
            text(steps[index].sql)
        }
        return Checksum.hex(of: SHA256.hash(data: bytes))
    }
}
