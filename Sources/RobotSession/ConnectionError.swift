/// Why no session could be opened.
///
/// `target` is always the redacted settings description (no password).
public enum ConnectionError: Error, Sendable, CustomStringConvertible {
    /// The server could not be reached before the bound passed: it may still be starting, or be unreachable.
    case unreachable(target: String, waited: Duration, attempts: Int, lastReason: String)
    /// The server answered and refused, for a reason waiting will not fix: bad password (28P01), no such
    /// database (3D000), unknown role (28000), TLS required but not offered, certificate not trusted…
    case rejected(target: String, reason: String)
    /// The waiting task was cancelled before a connection was made.
    case cancelled

    /// What happened and what to do.
    public var description: String {
        switch self {
        case let .unreachable(target, waited, attempts, lastReason):
            "Could not connect to \(target) within \(waited) (\(attempts) attempt\(attempts == 1 ? "" : "s")); "
                + "last error: \(lastReason). Check that the server is running and reachable from here "
                + "(host, port, firewall, DNS), or allow a longer wait."
        case let .rejected(target, reason):
            "\(target) refused the connection: \(reason). Waiting will not help: fix the connection settings or the server's configuration."
        case .cancelled:
            "The wait for the database was cancelled."
        }
    }
}
