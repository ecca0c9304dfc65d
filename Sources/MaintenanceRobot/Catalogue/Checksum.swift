import Crypto
import RobotSQL

/// The fingerprint of a step's SQL that the ledger records to notice edits.
///
/// Only the statements count: comments, indentation, line endings and trailing whitespace do not,
/// so re-saving a file with other line endings or re-wording a comment is not an edit, while any
/// change to what the server would run is.
enum Checksum {
    /// A SHA-256 hex digest over the statements' significant tokens.
    static func of(_ statements: [SQLStatement]) -> String {
        var hasher = SHA256()
        for statement in statements {
            for token in statement.significantTokens {
                hasher.update(data: Array(normalizingLines(token.text).utf8))
                hasher.update(data: [0x20])
            }
            hasher.update(data: [0x3B, 0x0A])
        }
        return hasher.finalize().map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }

    /// The text with `\r\n` and `\r` turned into `\n` and trailing blanks removed from every line.
    static func normalizingLines<Text: StringProtocol>(_ text: Text) -> String {
        guard text.contains(where: { $0 == "\r" || $0 == "\r\n" || $0 == " " || $0 == "\t" }) else { return String(text) }
        return text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
            .map { line in line.trimmingTrailingWhitespace() }
            .joined(separator: "\n")
    }
}
