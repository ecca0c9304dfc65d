/// The release a step belongs to, read from its name: `Add owner email (v1.2 Update)` → `1.2`.
public struct VersionTag: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// The numeric components: `[1, 2]` for `v1.2`.
    public let components: [Int]

    /// Reads the tag from a step name in the house convention, or `nil` when the name has none.
    ///
    /// The tag is a parenthesised group at the end of the name that starts with `v` and a number:
    /// `(v1.2 Update)`, `(v2)`, `(v1.10.3 hotfix)`.
    public init?(stepName: String) {
        let trimmed = stepName.trimmingTrailingWhitespace()
        guard trimmed.hasSuffix(")"), let open = trimmed.lastIndex(of: "(") else { return nil }
        let group = trimmed[trimmed.index(after: open)..<trimmed.index(before: trimmed.endIndex)]
        guard let first = group.first, first == "v" || first == "V" else { return nil }
        let number = group.dropFirst().prefix { $0.isNumber || $0 == "." }
        let rest = group.dropFirst(1 + number.count)
        guard rest.isEmpty || rest.first == " " else { return nil }
        let parts = number.split(separator: ".", omittingEmptySubsequences: false)
        let components = parts.compactMap { Int($0) }
        guard !components.isEmpty, components.count == parts.count else { return nil }
        self.components = components
    }

    public static func < (lhs: VersionTag, rhs: VersionTag) -> Bool {
        for (left, right) in zip(lhs.components, rhs.components) where left != right {
            return left < right
        }
        return lhs.components.count < rhs.components.count
    }

    /// `v1.2`
    public var description: String { "v" + components.map(String.init).joined(separator: ".") }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let tag = VersionTag(stepName: "(\(text))") else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a version tag: \(text)"))
        }
        self = tag
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

extension StringProtocol {
    func trimmingTrailingWhitespace() -> SubSequence {
        var end = endIndex
        while end > startIndex, self[index(before: end)].isWhitespace { end = index(before: end) }
        return self[startIndex..<end]
    }

    /// The text without white space (line breaks included) at either end.
    func trimmingWhitespace() -> SubSequence {
        let start = firstIndex { !$0.isWhitespace } ?? endIndex
        return self[start...].trimmingTrailingWhitespace()
    }
}
