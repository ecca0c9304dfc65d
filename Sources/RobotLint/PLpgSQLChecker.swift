import RobotSQL

/// Checks the statements of a DO block body, knowing which guards protect each one: an enclosing
/// `IF [NOT] EXISTS (…) THEN`, or an enclosing block whose `EXCEPTION WHEN duplicate_object …` catches
/// the error a second run raises.
struct PLpgSQLChecker {
    /// The conditions a second run of a non-idempotent statement raises (names and SQLSTATEs).
    private static let idempotencyConditions: Set<String> = [
        "DUPLICATE_OBJECT", "DUPLICATE_COLUMN", "DUPLICATE_TABLE", "DUPLICATE_FUNCTION", "DUPLICATE_SCHEMA",
        "DUPLICATE_DATABASE", "DUPLICATE_ALIAS", "UNIQUE_VIOLATION", "UNDEFINED_TABLE", "UNDEFINED_COLUMN",
        "UNDEFINED_OBJECT", "UNDEFINED_FUNCTION", "INVALID_SCHEMA_NAME", "INVALID_TABLE_DEFINITION",
        "42710", "42701", "42P07", "42723", "42P06", "42P04", "42712", "23505", "42P01", "42703", "42704", "42883",
        "3F000", "42P16",
    ]
    /// Levels at which RAISE only reports; any other RAISE re-raises.
    private static let reportingLevels: Set<String> = ["DEBUG", "LOG", "INFO", "NOTICE", "WARNING"]

    private struct Handler {
        let conditions: [SQLToken]
        var reraises = false

        var others: SQLToken? { conditions.first { $0.isWord("OTHERS") } }
        /// Whether a second run's error is caught here: a specific condition, or OTHERS swallowed.
        var guardsIdempotency: Bool {
            (others != nil && !reraises) || conditions.contains { condition in
                PLpgSQLChecker.idempotencyConditions.contains(condition.kind == .string ? condition.value.uppercased() : condition.value)
            }
        }
    }

    private enum Frame {
        case block(id: Int, isInExceptionSection: Bool)
        case condition(isGuard: Bool)
        case other
    }

    private let events: [PLEvent]
    private var handlersOfBlock: [[Handler]] = []

    init(events: [PLEvent]) {
        self.events = events
        collectHandlers()
    }

    /// Checks every statement of the body with `checker`; `context` carries the DO statement's comments.
    func check(with checker: inout StatementChecker, _ context: StatementChecker.Context) {
        reportSwallowingHandlers(&checker, context)
        var stack: [Frame] = []
        var blockCount = 0
        for event in events {
            switch event {
            case .openBlock:
                stack.append(.block(id: blockCount, isInExceptionSection: false))
                blockCount += 1
            case .exceptionSection: Self.enterExceptionSection(&stack)
            case .when: break
            case .openIf(let condition): stack.append(.condition(isGuard: Self.isGuard(condition)))
            case .elsif(let condition):
                if case .condition = stack.last { stack[stack.count - 1] = .condition(isGuard: Self.isGuard(condition)) }
            case .openOther: stack.append(.other)
            case .close: _ = stack.popLast()
            case .statement(let statement, let comments):
                var inner = context
                inner.isInDoBlock = true
                inner.isGuarded = context.isGuarded || isGuarded(stack)
                inner.comments = context.comments + comments
                checker.check(statement, inner)
            }
        }
    }

    private func reportSwallowingHandlers(_ checker: inout StatementChecker, _ context: StatementChecker.Context) {
        for handler in handlersOfBlock.joined() where !handler.reraises {
            guard let others = handler.others else { continue }
            checker.report(.exceptionWhenOthers, "EXCEPTION WHEN OTHERS without RAISE swallows every error, so a failed step reports success", at: others, context)
        }
    }

    /// A condition that looks the object up first: `EXISTS (…)`, the catalogues, or `to_regclass(…)`.
    private static func isGuard(_ condition: TokenView) -> Bool {
        condition.tokens.contains { token in
            guard token.kind == .word else { return false }
            let word = token.value
            return word == "EXISTS" || word == "INFORMATION_SCHEMA" || word.hasPrefix("PG_") || word.hasPrefix("TO_REG")
        }
    }

    private func isGuarded(_ stack: [Frame]) -> Bool {
        stack.contains { frame in
            switch frame {
            case .condition(let isGuard): isGuard
            case .block(let id, let isInExceptionSection): !isInExceptionSection && handlersOfBlock[id].contains(where: \.guardsIdempotency)
            case .other: false
            }
        }
    }

    private static func enterExceptionSection(_ stack: inout [Frame]) {
        guard case .block(let id, _) = stack.last else { return }
        stack[stack.count - 1] = .block(id: id, isInExceptionSection: true)
    }

    /// First pass: every block's handlers and whether each re-raises.
    private mutating func collectHandlers() {
        var stack: [Frame] = []
        for event in events {
            switch event {
            case .openBlock:
                stack.append(.block(id: handlersOfBlock.count, isInExceptionSection: false))
                handlersOfBlock.append([])
            case .exceptionSection: Self.enterExceptionSection(&stack)
            case .when(let conditions):
                if case .block(let id, true) = stack.last { handlersOfBlock[id].append(Handler(conditions: conditions)) }
            case .openIf, .openOther: stack.append(.other)
            case .elsif: break
            case .close: _ = stack.popLast()
            case .statement(let statement, _):
                guard Self.reraises(statement), let id = innermostHandlingBlock(stack) else { continue }
                handlersOfBlock[id][handlersOfBlock[id].count - 1].reraises = true
            }
        }
    }

    private func innermostHandlingBlock(_ stack: [Frame]) -> Int? {
        for frame in stack.reversed() {
            if case .block(let id, let isInExceptionSection) = frame {
                return isInExceptionSection && !handlersOfBlock[id].isEmpty ? id : nil
            }
        }
        return nil
    }

    private static func reraises(_ statement: TokenView) -> Bool {
        guard statement.isWord(0, "RAISE") else { return false }
        guard statement.tokens.count > 1, statement.tokens[1].kind == .word else { return true }
        return !reportingLevels.contains(statement.tokens[1].value)
    }
}
