import Foundation
import MaintenanceRobot

/// Everything the service reads from its environment: where the database is, where to listen, the key
/// that encrypts credential values, and the robot's bounds.
///
/// | variable | meaning | default |
/// |---|---|---|
/// | `DATABASE_URL` or `PGHOST`… | the database (see ``ConnectionSettings/fromEnvironment(_:)``) | libpq's |
/// | `HOST`, `PORT` | where to listen (`PORT=0` picks a free port) | `0.0.0.0`, `8080` |
/// | `CREDENTIALS_KEY` | AES-256 key for credential values, 32 bytes in base64 | required |
/// | `ROBOT_CONNECT_TIMEOUT`, `ROBOT_LOCK_WAIT` | the robot's bounds, in seconds | 60, 120 |
/// | `ROBOT_STEP_LOCK_TIMEOUT`, `ROBOT_STATEMENT_TIMEOUT` | per-step bounds, in seconds | 5, 300 |
/// | `ROBOT_LEDGER_SCHEMA` | the schema of the robot's ledger | `maintenance_robot` |
public struct OrchestratorConfiguration: Sendable {
    /// The database the robot prepares and the API uses.
    public var database: ConnectionSettings
    /// The address to listen on.
    public var host: String
    /// The port to listen on; 0 lets the system pick one (the service logs which).
    public var port: Int
    /// Encrypts credential values before they are stored.
    public var cipher: CredentialCipher
    /// How the robot runs at boot.
    public var robot: RobotConfiguration

    /// Creates a configuration from its parts.
    public init(database: ConnectionSettings, host: String = "0.0.0.0", port: Int = 8080, cipher: CredentialCipher,
                robot: RobotConfiguration = .init()) {
        self.database = database
        self.host = host
        self.port = port
        self.cipher = cipher
        self.robot = robot
    }

    /// Reads the configuration from environment variables (see the table above).
    ///
    /// - Throws: ``ConfigurationError`` (or the robot's `ConfigurationError` for the database
    ///   variables) naming the variable at fault; no error contains a password or the credentials key.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) throws -> OrchestratorConfiguration {
        let reader = EnvironmentReader(environment: environment)
        guard let key = reader.value("CREDENTIALS_KEY") else {
            throw ConfigurationError(
                source: "CREDENTIALS_KEY", problem: "is not set; the service encrypts credential values with it.",
                remedy: "Set it to 32 random bytes in base64, e.g. the output of `openssl rand -base64 32`, and keep it: values stored under one key cannot be read with another.")
        }
        var robot = RobotConfiguration()
        robot.connectTimeout = try reader.seconds("ROBOT_CONNECT_TIMEOUT") ?? robot.connectTimeout
        robot.lockWaitTimeout = try reader.seconds("ROBOT_LOCK_WAIT") ?? robot.lockWaitTimeout
        robot.stepLockTimeout = try reader.seconds("ROBOT_STEP_LOCK_TIMEOUT") ?? robot.stepLockTimeout
        robot.statementTimeout = try reader.seconds("ROBOT_STATEMENT_TIMEOUT") ?? robot.statementTimeout
        if let schema = reader.value("ROBOT_LEDGER_SCHEMA") {
            do {
                robot.ledgerSchema = try LedgerSchema(schema)
            } catch {
                throw ConfigurationError(source: "ROBOT_LEDGER_SCHEMA", problem: "\(error).", remedy: "Fix the name or unset it.")
            }
        }
        return OrchestratorConfiguration(
            database: try ConnectionSettings.fromEnvironment(environment),
            host: reader.value("HOST") ?? "0.0.0.0",
            port: try reader.port("PORT") ?? 8080,
            cipher: try CredentialCipher(base64Key: key),
            robot: robot
        )
    }
}

/// Reads and checks single environment variables; an empty variable counts as unset.
private struct EnvironmentReader {
    let environment: [String: String]

    func value(_ name: String) -> String? {
        environment[name].flatMap { $0.isEmpty ? nil : $0 }
    }

    func seconds(_ name: String) throws(ConfigurationError) -> Duration? {
        guard let text = value(name) else { return nil }
        guard let seconds = Double(text), seconds > 0, seconds.isFinite else {
            throw ConfigurationError(source: name, problem: "\"\(text)\" is not a positive number of seconds.",
                                                 remedy: "Set it to e.g. 30, or unset it for the default.")
        }
        return .milliseconds(Int64(seconds * 1000))
    }

    func port(_ name: String) throws(ConfigurationError) -> Int? {
        guard let text = value(name) else { return nil }
        guard let port = Int(text), (0...65535).contains(port) else {
            throw ConfigurationError(source: name, problem: "\"\(text)\" is not a port number from 0 to 65535.",
                                                 remedy: "Set it to e.g. 8080 (0 picks a free port), or unset it for 8080.")
        }
        return port
    }
}
