import Crypto
import Foundation
import RobotSQL

/// The fingerprint of a step's SQL that the ledger records to notice edits.
///
/// Only the statements count: comments, indentation, line endings and trailing whitespace do not,
/// so re-saving a file with other line endings or re-wording a comment is not an edit, while any
/// change to what the server would run is.
enum Checksum {
    /// A SHA-256 hex digest over the statements' significant tokens.
    static func of(_ statements: [SQLStatement]) -> String {
        var normalized: [UInt8] = []
        for statement in statements {
            statement.forEachToken { token in
                guard !token.isComment else { return }
                appendNormalizingLines(token.text.utf8, to: &normalized)
                normalized.append(0x20)
            }
            normalized.append(0x3B)
            normalized.append(0x0A)
        }
        return hex(of: SHA256.hash(data: normalized))
    }

    /// `digest` in lowercase hexadecimal.
    static func hex(of digest: SHA256.Digest) -> String {
        digest.map { String(format: "%02x", $0) }.joined()
    }

    /// Appends `text` with `\r\n` and `\r` turned into `\n` and the blanks before each line break removed.
    static func appendNormalizingLines(_ text: Substring.UTF8View, to output: inout [UInt8]) {
        var pendingBlanks: [UInt8] = []
        var previousWasCarriageReturn = false
        for byte in text {
            defer { previousWasCarriageReturn = byte == 0x0D }
            switch byte {
            case 0x20, 0x09:
                pendingBlanks.append(byte)
            case 0x0A where previousWasCarriageReturn:
                break
            case 0x0A, 0x0D:
                pendingBlanks.removeAll(keepingCapacity: true)
                output.append(0x0A)
            default:
                output.append(contentsOf: pendingBlanks)
                pendingBlanks.removeAll(keepingCapacity: true)
                output.append(byte)
            }
        }
    }
}
