extension Catalogue {
    /// The first `count` steps, unchanged: each keeps its position, id and checksum, so a database built
    /// with the prefix has the ledger the full catalogue expects at that point (how `robot verify`
    /// rebuilds the database as it stood at a checkpoint).
    ///
    /// - Precondition: `1 <= count <= steps.count`.
    public func prefix(_ count: Int) -> Catalogue {
        precondition((1...steps.count).contains(count), "a catalogue prefix takes 1 to \(steps.count) steps, not \(count)")
        return Catalogue(
            validatedSteps: Array(steps.prefix(count)),
            declaration: CatalogueDeclaration(resolving: Array(declaration.steps.prefix(count)), source: source)
        )
    }

    /// A catalogue of steps another catalogue already validated.
    private init(validatedSteps: [CatalogueStep], declaration: CatalogueDeclaration) {
        self.steps = validatedSteps
        self.declaration = declaration
    }
}
