/// Why a throwaway cluster could not be started: what failed, the output of the failing tool, and what to do.
public struct ThrowawayClusterError: Error, Sendable, CustomStringConvertible {
    /// The kind of failure, for callers that react to it.
    public enum Code: Sendable, Hashable {
        /// `initdb` / `pg_ctl` were not found.
        case postgresNotInstalled
        /// Running as root and there is neither a `postgres` nor a `nobody` user to run the server as.
        case noServerUser
        /// The temporary directory could not be created, handed over or removed.
        case fileSystem
        /// No free loopback port could be found or bound.
        case portUnavailable
        /// `initdb` failed.
        case initdbFailed
        /// `pg_ctl start` failed or the server did not accept connections in time.
        case startFailed
        /// A tool did not finish within its bound and was killed.
        case timedOut
        /// The starting task was cancelled.
        case cancelled
        /// `pgbouncer` was not found (``ThrowawayPgBouncer``).
        case pgbouncerNotInstalled
    }

    /// The kind of failure.
    public var code: Code
    /// What failed, in a sentence.
    public var message: String
    /// What to do about it.
    public var remedy: String
    /// The last lines of the failing tool's output or the server log, when there are any.
    public var outputTail: String?

    /// Creates an error; `remedy` says what the user should do.
    public init(code: Code, message: String, remedy: String, outputTail: String? = nil) {
        self.code = code
        self.message = message
        self.remedy = remedy
        self.outputTail = outputTail
    }

    /// The message, the remedy and the output tail, each on its own line(s).
    public var description: String {
        var text = "\(message)\n\(remedy)"
        if let outputTail, !outputTail.isEmpty {
            text += "\n--- last output ---\n\(outputTail)"
        }
        return text
    }
}
