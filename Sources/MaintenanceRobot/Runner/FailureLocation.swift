import RobotSQL

extension CatalogueStep {
    /// Describes a server error against the step's source: which statement, and the line and
    /// column the server's error position (or, inside PL/pgSQL, its internal position) points at;
    /// failing those, the line of the statement's own DO block that the error's context names.
    func failure(for error: DatabaseError, statementIndex: Int?) -> StepFailure {
        var failure = StepFailure(
            sqlState: error.sqlState, message: error.message, detail: error.detail, hint: error.hint,
            context: error.context, statement: statementIndex.map { $0 + 1 }, location: nil
        )
        guard let statementIndex, statements.indices.contains(statementIndex) else { return failure }
        let statement = statements[statementIndex]
        failure.location = describe(Self.location(of: error, in: statement) ?? statement.start)
        return failure
    }

    private static func location(of error: DatabaseError, in statement: SQLStatement) -> SourceLocation? {
        if let position = error.position {
            return statement.location(ofCharacterPosition: position)
        }
        if let query = error.internalQuery, let internalPosition = error.internalPosition,
           let range = statement.sql.range(of: query) {
            let offset = statement.sql.unicodeScalars.distance(from: statement.sql.startIndex, to: range.lowerBound)
            return statement.location(ofCharacterPosition: offset + internalPosition)
        }
        if let line = blockLine(in: error.context),
           let bodyStart = statement.tokens.first(where: { $0.kind == .dollarString })?.bodyStart {
            return lineStart(bodyStart.line + line - 1, in: statement)
        }
        return nil
    }

    /// The line of the statement's own `DO` block that the error passed through: `4` from a context ending in
    /// `PL/pgSQL function inline_code_block line 4 at PERFORM`. Context lines run from the innermost call outwards,
    /// so only the last is the statement's; earlier ones (`f() line 5 at RAISE`, `SQL function "g" statement 1`,
    /// a DO block inside `f`) point into other source. A context ending in any other line locates nothing.
    private static func blockLine(in context: String?) -> Int? {
        let marker = "PL/pgSQL function inline_code_block line "
        guard let outermost = context?.split(separator: "\n").last, outermost.hasPrefix(marker) else { return nil }
        return Int(outermost.dropFirst(marker.count).prefix { $0.isNumber })
    }

    /// The location of the first non-blank character of `line` within the statement, found by walking its text.
    private static func lineStart(_ line: Int, in statement: SQLStatement) -> SourceLocation? {
        guard line >= statement.start.line else { return nil }
        var position = 1
        var currentLine = statement.start.line
        var previousWasCarriageReturn = false
        for scalar in statement.sql.unicodeScalars {
            if currentLine == line && scalar != " " && scalar != "\t" { return statement.location(ofCharacterPosition: position) }
            position += 1
            if scalar == "\n" && previousWasCarriageReturn { previousWasCarriageReturn = false; continue }
            if scalar == "\n" || scalar == "\r" { currentLine += 1 }
            previousWasCarriageReturn = scalar == "\r"
        }
        return currentLine == line ? statement.location(ofCharacterPosition: position) : nil
    }
}
