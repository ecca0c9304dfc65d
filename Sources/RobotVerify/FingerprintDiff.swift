import Foundation
import MaintenanceRobot
import RobotSQL

/// One object on which two fingerprints disagree.
public struct Difference: Sendable, Hashable, Codable, CustomStringConvertible {
    /// `column`, `seed data` …
    public var kind: String
    /// `tenants.total_tokens_used`
    public var name: String
    /// The fresh install's value, `nil` when the object is missing there.
    public var expected: String?
    /// The other database's value, `nil` when the object is missing there.
    public var actual: String?
    /// What the other database is: `upgraded from v1.2`, `after heal`.
    public var actualLabel: String
    /// The steps whose SQL mentions the object: the ones that should have produced it.
    public var suspectSteps: [String]

    package init(kind: String, name: String, expected: String?, actual: String?, actualLabel: String, suspectSteps: [String]) {
        self.kind = kind
        self.name = name
        self.expected = expected
        self.actual = actual
        self.actualLabel = actualLabel
        self.suspectSteps = suspectSteps
    }

    /// `column tenants.total_tokens_used: fresh bigint NOT NULL DEFAULT 0 · upgraded from v1.2: missing`
    public var description: String {
        "\(kind) \(name): fresh \(expected ?? "missing") · \(actualLabel): \(actual ?? "missing")"
    }

    /// The entries that differ between `expected` (the fresh install) and `actual`, grouped by object name.
    package static func between(
        _ expected: [Fingerprint.Entry], _ actual: [Fingerprint.Entry], actualLabel: String, mentions: ObjectMentions
    ) -> [Difference] {
        let expectedByKey = Dictionary(expected.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
        let actualByKey = Dictionary(actual.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
        var differences: [Difference] = []
        for key in Set(expectedByKey.keys).union(actualByKey.keys) {
            let fresh = expectedByKey[key]
            let other = actualByKey[key]
            guard fresh?.value != other?.value, let entry = fresh ?? other else { continue }
            differences.append(Difference(
                kind: entry.kind, name: entry.name, expected: fresh?.value, actual: other?.value,
                actualLabel: actualLabel, suspectSteps: mentions.steps(mentioning: entry.name)
            ))
        }
        return differences.sorted { ($0.name, $0.kind) < ($1.name, $1.kind) }
    }
}

/// Which steps mention which identifiers, read with the project's lexer (dollar-quoted bodies such as
/// `DO $$ … $$` are lexed too), to name the steps behind a difference.
package struct ObjectMentions: Sendable {
    private let identifiersByStep: [(label: String, identifiers: Set<String>)]

    package init(_ catalogue: Catalogue) {
        identifiersByStep = catalogue.steps.map { step in
            (step.label, Self.identifiers(in: step.statements.flatMap(\.tokens)))
        }
    }

    /// The labels of the steps that mention every part of `name` (`tenants.total_tokens_used` needs both
    /// `tenants` and `total_tokens_used`; a function's arguments are ignored).
    package func steps(mentioning name: String) -> [String] {
        steps(mentioningAll: Self.nameParts(name))
    }

    /// The labels of the steps that mention every one of `parts` (lower-cased unless quoted).
    package func steps(mentioningAll parts: Set<String>) -> [String] {
        guard !parts.isEmpty else { return [] }
        return identifiersByStep.filter { parts.isSubset(of: $0.identifiers) }.map(\.label)
    }

    /// `public`-less name parts, lower-cased: `"Tenants".x(int)` → `tenants`, `x`.
    static func nameParts(_ name: String) -> Set<String> {
        let withoutArguments = name.split(separator: "(", maxSplits: 1).first.map(String.init) ?? name
        return Set(withoutArguments.split(separator: ".").map { $0.trimmingCharacters(in: ["\""]).lowercased() }.filter { !$0.isEmpty })
    }

    private static func identifiers(in tokens: [SQLToken]) -> Set<String> {
        var found = Set<String>()
        for token in tokens {
            switch token.kind {
            case .word, .quotedIdentifier:
                found.insert(token.kind == .word ? token.value.lowercased() : token.value)
            case .dollarString:
                if let inner = try? SQLLexer(token.value).tokens() { found.formUnion(identifiers(in: inner)) }
            case .string:
                // Names inside EXECUTE '…' or ALTER TYPE … ADD VALUE 'x' literals.
                found.insert(token.value.lowercased())
            default:
                break
            }
        }
        return found
    }
}
