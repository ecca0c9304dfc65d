import Crypto
import Foundation
import MaintenanceRobot

/// Encrypts credential values before they are stored and decrypts them when the service needs them,
/// with AES-256-GCM under the key from `CREDENTIALS_KEY`. The database only ever holds ciphertext.
///
/// A sealed value is GCM's combined form: a 12-byte nonce, the ciphertext, then the 16-byte tag.
public struct CredentialCipher: Sendable {
    private let key: SymmetricKey

    /// A cipher for a 32-byte key given in standard base64 (`openssl rand -base64 32`).
    ///
    /// - Throws: ``ConfigurationError`` naming `variable` when the text is not base64 or
    ///   not 32 bytes long. The error never contains the key.
    public init(base64Key: String, variable: String = "CREDENTIALS_KEY") throws(ConfigurationError) {
        let remedy = "Set it to 32 random bytes in base64, e.g. the output of `openssl rand -base64 32`."
        guard let bytes = Data(base64Encoded: base64Key.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw ConfigurationError(source: variable, problem: "the value is not valid base64.", remedy: remedy)
        }
        guard bytes.count == 32 else {
            throw ConfigurationError(
                source: variable, problem: "the key is \(bytes.count) bytes long; AES-256 needs 32.", remedy: remedy)
        }
        self.key = SymmetricKey(data: bytes)
    }

    /// The value sealed with a fresh random nonce: nonce, ciphertext and tag in one buffer.
    public func seal(_ value: String) throws -> [UInt8] {
        guard let combined = try AES.GCM.seal(Data(value.utf8), using: key).combined else {
            // Only nil for nonces other than 12 bytes; `seal` always makes a 12-byte one.
            preconditionFailure("AES.GCM.seal returned a box without its combined form")
        }
        return Array(combined)
    }

    /// The value a ``seal(_:)`` call sealed.
    ///
    /// - Throws: when the buffer was not sealed with this key or was altered.
    public func open(_ sealed: [UInt8]) throws -> String {
        let box = try AES.GCM.SealedBox(combined: sealed)
        return String(decoding: try AES.GCM.open(box, using: key), as: UTF8.self)
    }
}
