import RobotSQL

/// An ordered, validated list of steps: what the runner applies, the linter checks and the
/// verifier proves.
///
/// A catalogue comes from a Swift array compiled into the server, or from a directory of
/// `NNNN_slug.sql` files (``StepDirectory/load(_:)``). Either way every step is lexed and split into
/// statements up front, so a broken step is reported before anything touches the database.
///
/// ## Topics
/// - ``init(_:)``
/// - ``StepDirectory/load(_:)``
/// - ``steps``
/// - ``versionTags``
public struct Catalogue: Sendable {
    /// The steps in order; `steps[i].position == i + 1`.
    public let steps: [CatalogueStep]
    /// The steps as declared, before lexing.
    package let declaration: CatalogueDeclaration

    /// Where the steps came from: a directory path, or `Swift` for a compiled-in array.
    public var source: String { declaration.source }

    /// The digest of the steps exactly as declared. The ledger keeps the digest of the last run that left every
    /// step applied, so a warm boot compares one value instead of reading a row per step.
    public var digest: String { declaration.digest }

    /// Validates an array of steps declared in Swift.
    ///
    /// - Throws: ``CatalogueError`` listing every empty, unnamed, unlexable or duplicate step, and every
    ///   transaction control statement in a step that runs in a transaction.
    public init(_ steps: [Step]) throws(CatalogueError) {
        try self.init(declaration: CatalogueDeclaration(resolving: steps, source: "Swift"))
    }

    /// Validates steps declared in Swift; the linter accepts transaction control, to report it with its others.
    package init(_ steps: [Step], refusingTransactionControl: Bool) throws(CatalogueError) {
        try self.init(declaration: CatalogueDeclaration(resolving: steps, source: "Swift"), refusingTransactionControl: refusingTransactionControl)
    }

    /// Lexes and validates a declaration, reporting its problems and every step's lexing problems together.
    ///
    /// A step that runs in a transaction may not control it: a `COMMIT` in it would commit half the step
    /// without its ledger row, a `ROLLBACK` would leave the row saying applied. Such a step is refused before
    /// anything runs, unless `refusingTransactionControl` is false (for the linter).
    init(declaration: CatalogueDeclaration, refusingTransactionControl: Bool = true) throws(CatalogueError) {
        var problems = declaration.problems
        var validated: [CatalogueStep] = []
        for (index, step) in declaration.steps.enumerated() {
            let position = index + 1
            let statements: [SQLStatement]
            do {
                statements = try SQLStatementSplitter.split(step.sql)
            } catch {
                problems.append(.syntax(place: Self.syntaxPlace(step: step, position: position), error))
                continue
            }
            guard !statements.isEmpty else {
                problems.append(.emptyStep(step: CatalogueDeclaration.place(of: step, position: position)))
                continue
            }
            let effects = statements.map(StatementEffects.init(of:))
            let catalogueStep = CatalogueStep(
                position: position, id: step.id ?? "", name: step.name, versionTag: VersionTag(stepName: step.name),
                isCritical: step.isCritical, runsInTransaction: step.runsInTransaction, origin: step.origin,
                sql: step.sql, statements: statements, checksum: Checksum.of(statements),
                changesSession: effects.contains { !$0.sessionChanges.isEmpty }, setsTimeouts: effects.contains(where: \.setsTimeouts)
            )
            if case .file(let path) = step.origin {
                problems += StepFileHeader.misplacedDirectives(in: step.sql, after: statements[0].start, path: path)
            }
            if refusingTransactionControl && step.runsInTransaction {
                problems += effects.flatMap(\.transactionControl).map { token in
                    .transactionControl(place: catalogueStep.describe(token.start), statement: token.value)
                }
            }
            validated.append(catalogueStep)
        }
        guard problems.isEmpty else { throw CatalogueError(problems: problems) }
        self.steps = validated
        self.declaration = declaration
    }

    /// The distinct version tags in step order: the releases a verifier can rebuild.
    public var versionTags: [VersionTag] {
        var seen = Set<VersionTag>()
        return steps.compactMap(\.versionTag).filter { seen.insert($0).inserted }
    }

    /// The step with this id, if any.
    public func step(id: String) -> CatalogueStep? {
        steps.first { $0.id == id }
    }

    private static func syntaxPlace(step: Step, position: Int) -> String {
        switch step.origin {
        case .file(let path): path
        case .swift: "step \(position) (\(step.origin)), SQL"
        }
    }
}
