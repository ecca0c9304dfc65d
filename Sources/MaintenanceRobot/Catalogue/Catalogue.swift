import RobotSQL

/// An ordered, validated list of steps: what the runner applies, the linter checks and the
/// verifier proves.
///
/// A catalogue comes from a Swift array compiled into the server, or from a directory of
/// `NNNN_slug.sql` files (see ``init(directory:)``). Either way every step is lexed and split into
/// statements up front, so a broken step is reported before anything touches the database.
///
/// ## Topics
/// - ``init(_:)``
/// - ``init(directory:)``
/// - ``steps``
/// - ``versionTags``
public struct Catalogue: Sendable {
    /// The steps in order; `steps[i].position == i + 1`.
    public let steps: [CatalogueStep]
    /// Where the steps came from: a directory path, or `Swift` for a compiled-in array.
    public let source: String

    /// Validates an array of steps declared in Swift.
    ///
    /// - Throws: ``CatalogueError`` listing every empty, unnamed, unlexable or duplicate step.
    public init(_ steps: [Step]) throws(CatalogueError) {
        try self.init(steps: steps, source: "Swift")
    }

    init(steps: [Step], source: String) throws(CatalogueError) {
        var problems: [CatalogueError.Problem] = []
        var validated: [CatalogueStep] = []
        var firstPlaceOfID: [String: String] = [:]
        if steps.isEmpty { problems.append(.noSteps(source: source)) }
        let lexed = steps.concurrentMap { step in
            Result { () throws(SQLSyntaxError) -> ([SQLStatement], String) in
                let statements = try SQLStatementSplitter.split(step.sql)
                return (statements, Checksum.of(statements))
            }
        }
        for (index, step) in steps.enumerated() {
            let position = index + 1
            let id = step.id ?? Self.defaultID(position: position)
            let place = "step \(position) (\(step.origin))"
            if let first = firstPlaceOfID[id] {
                problems.append(.duplicateID(id, first: first, second: place))
            } else {
                firstPlaceOfID[id] = place
            }
            if step.name.allSatisfy(\.isWhitespace) { problems.append(.emptyName(step: place)) }
            switch lexed[index] {
            case .success(let (statements, checksum)):
                guard !statements.isEmpty else {
                    problems.append(.emptyStep(step: place))
                    continue
                }
                validated.append(CatalogueStep(
                    position: position, id: id, name: step.name, versionTag: VersionTag(stepName: step.name),
                    isCritical: step.isCritical, runsInTransaction: step.runsInTransaction, origin: step.origin,
                    sql: step.sql, statements: statements, checksum: checksum
                ))
            case .failure(let error):
                problems.append(.syntax(place: Self.syntaxPlace(step: step, position: position), error))
            }
        }
        guard problems.isEmpty else { throw CatalogueError(problems: problems) }
        self.steps = validated
        self.source = source
    }

    /// The distinct version tags in step order: the releases a verifier can rebuild.
    public var versionTags: [VersionTag] {
        var seen = Set<VersionTag>()
        return steps.compactMap(\.versionTag).filter { seen.insert($0).inserted }
    }

    /// A SHA-256 hex digest of every step's id, position and checksum. The ledger keeps the digest of the
    /// last run that left every step applied, so a warm boot compares one value instead of reading a row
    /// per step.
    public var digest: String {
        var text = ""
        for step in steps { text += "\(step.id)\t\(step.position)\t\(step.checksum)\n" }
        return Checksum.hex(of: Array(text.utf8))
    }

    /// The step with this id, if any.
    public func step(id: String) -> CatalogueStep? {
        steps.first { $0.id == id }
    }

    /// `0007` for position 7.
    static func defaultID(position: Int) -> String {
        let digits = String(position)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }

    private static func syntaxPlace(step: Step, position: Int) -> String {
        switch step.origin {
        case .file(let path): path
        case .swift: "step \(position) (\(step.origin)), SQL"
        }
    }
}
