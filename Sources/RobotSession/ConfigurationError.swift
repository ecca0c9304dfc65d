/// Connection settings that cannot be used: what is wrong, where it came from and what to do.
/// It never contains a password: URLs in it are redacted.
public struct ConfigurationError: Error, Sendable, CustomStringConvertible {
    /// Where the bad value came from: an environment variable (`DATABASE_URL`, `PGPORT` …) or `connection URL`.
    public var source: String
    /// What is wrong.
    public var problem: String
    /// What to do about it.
    public var remedy: String

    /// Creates an error; `problem` and `remedy` must not contain a password.
    public init(source: String, problem: String, remedy: String) {
        self.source = source
        self.problem = problem
        self.remedy = remedy
    }

    /// `"<source>: <problem> <remedy>"`.
    public var description: String {
        "\(source): \(problem) \(remedy)"
    }
}
