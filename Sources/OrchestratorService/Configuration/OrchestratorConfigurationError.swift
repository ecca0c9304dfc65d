/// An environment variable the service cannot use: which one, what is wrong, what to do.
///
/// The description never contains the variable's value when the value is a secret.
public struct OrchestratorConfigurationError: Error, Sendable, CustomStringConvertible {
    /// The environment variable at fault, e.g. `CREDENTIALS_KEY`.
    public var variable: String
    /// What is wrong with it.
    public var problem: String
    /// What to do about it.
    public var remedy: String

    public init(variable: String, problem: String, remedy: String) {
        self.variable = variable
        self.problem = problem
        self.remedy = remedy
    }

    public var description: String {
        "\(variable): \(problem) \(remedy)"
    }
}
