/// How to use TLS towards the server: libpq's `sslmode` values.
///
/// - `disable`: plain text only.
/// - `allow`, `prefer`: TLS when the server offers it, without certificate verification, else plain text.
///   (`allow` is treated as `prefer`: PostgresNIO cannot start plain and retry with TLS.)
/// - `require`: TLS, without certificate verification.
/// - `verifyCA`: TLS, certificate chain verified against the trusted roots, host name not checked.
/// - `verifyFull`: TLS, certificate chain and host name verified.
public enum TLSMode: String, Sendable, Hashable, CaseIterable {
    case disable, allow, prefer, require
    case verifyCA = "verify-ca"
    case verifyFull = "verify-full"

    /// Parses an `sslmode` value; `source` names where it came from for the error.
    static func parse(_ text: String, source: String) throws(ConfigurationError) -> TLSMode {
        guard let mode = TLSMode(rawValue: text) else {
            throw ConfigurationError(
                source: source,
                problem: "sslmode \"\(text)\" is not one of \(allCases.map(\.rawValue).joined(separator: ", ")).",
                remedy: "Use one of those values (libpq's sslmode)."
            )
        }
        return mode
    }
}
