import MaintenanceRobot
import RobotSQL

/// Lints the statements of one step: each statement's head, and the bodies of DO blocks and routines
/// re-lexed at their true positions.
enum StepLinter {
    /// The step's findings (before suppressions) and the columns it declares; `constraints` are the NOT NULL
    /// checks earlier steps added.
    static func lint(_ step: CatalogueStep, constraints: NotNullConstraints = NotNullConstraints()) -> StatementChecker {
        var checker = StatementChecker(step: step, constraints: constraints)
        for statement in step.statements {
            let view = TokenView(statement.tokens)
            let context = StatementChecker.Context(comments: leadingComments(of: statement))
            checker.check(view, context)
            if step.runsInTransaction {
                for change in StatementEffects(of: statement).sessionChanges {
                    checker.report(.sessionSetting, "\(change.text) holds for the rest of the session, beyond the step; the robot restores its session after the step, so later steps do not see it", at: change, context)
                }
            }
            if view.isWord(0, "DO") {
                checkDoBody(view, &checker, context)
            } else if view.isWord(0, "CREATE") {
                checkRoutineBodies(view, &checker, context)
            }
        }
        return checker
    }

    /// The comments before the statement's first significant token, where `-- robot:allow` goes.
    static func leadingComments(of statement: SQLStatement) -> [SQLToken] {
        Array(statement.tokens.prefix { $0.isComment })
    }

    private static func checkDoBody(_ view: TokenView, _ checker: inout StatementChecker, _ context: StatementChecker.Context) {
        if let language = view.firstTopLevel(words: "LANGUAGE"), language + 1 < view.tokens.count,
           TokenView.normalised(view.tokens[language + 1]) != "plpgsql" {
            return
        }
        guard let body = view.tokens.first(where: { $0.kind == .dollarString }),
              let tokens = relex(body, &checker, context) else { return }
        PLpgSQLChecker(events: PLEventReader(tokens: tokens).events).check(with: &checker, context)
    }

    /// Function and procedure bodies run when called, not at boot: they are re-lexed for syntax only.
    private static func checkRoutineBodies(_ view: TokenView, _ checker: inout StatementChecker, _ context: StatementChecker.Context) {
        guard view.firstTopLevel(from: 1, where: { $0.isWord("FUNCTION") || $0.isWord("PROCEDURE") }) != nil else { return }
        for body in view.tokens where body.kind == .dollarString {
            _ = relex(body, &checker, context)
        }
    }

    private static func relex(_ body: SQLToken, _ checker: inout StatementChecker, _ context: StatementChecker.Context) -> [SQLToken]? {
        guard let origin = body.bodyStart else { return nil }
        do {
            return try SQLLexer(body.value, origin: origin).tokens()
        } catch {
            checker.findings.append(Finding(rule: .lexingError, message: error.description.droppingLocationPrefix, location: error.location, comments: context.comments))
            return nil
        }
    }
}

extension String {
    /// `unterminated …` from `3:5: unterminated …`.
    var droppingLocationPrefix: String {
        guard let separator = range(of: ": ") else { return self }
        return String(self[separator.upperBound...])
    }
}
