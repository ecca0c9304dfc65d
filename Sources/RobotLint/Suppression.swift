import RobotSQL

/// A `-- robot:allow RULE-ID reason` comment on a statement.
struct Suppression {
    static let directive = "robot:allow"

    let comment: SQLToken
    let ruleID: String
    let reason: String

    /// The suppression a comment carries, if any.
    init?(_ comment: SQLToken) {
        guard comment.kind == .lineComment else { return nil }
        let text = comment.text.dropFirst(2).drop { $0.isWhitespace }
        guard text.hasPrefix(Self.directive) else { return nil }
        let words = text.dropFirst(Self.directive.count).split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        self.comment = comment
        self.ruleID = words.first.map(String.init) ?? ""
        self.reason = words.count > 1 ? Self.trimmed(words[1]) : ""
    }

    /// The findings about the suppression itself: no reason, or no such rule.
    func problems(_ comments: [SQLToken]) -> [Finding] {
        if Rule(rawValue: ruleID) == nil {
            let named = ruleID.isEmpty ? "no rule" : "unknown rule '\(ruleID)'"
            return [Finding(rule: .allowUnknownRule, message: "robot:allow names \(named), so it suppresses nothing", location: comment.start, comments: comments)]
        }
        if reason.isEmpty {
            return [Finding(rule: .allowWithoutReason, message: "robot:allow \(ruleID) gives no reason; say why the exception is safe", location: comment.start, comments: comments)]
        }
        return []
    }

    private static func trimmed(_ text: Substring) -> String {
        String(text.drop { $0.isWhitespace }.reversed().drop { $0.isWhitespace }.reversed())
    }
}
