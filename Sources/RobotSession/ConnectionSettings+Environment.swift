import Foundation

extension ConnectionSettings {
    /// Settings from the environment: `DATABASE_URL` when set, with libpq's variables `PGHOST`, `PGPORT`, `PGUSER`,
    /// `PGPASSWORD`, `PGDATABASE`, `PGSSLMODE`, `PGSSLROOTCERT`, `PGAPPNAME` filling what it leaves out (as libpq
    /// does); without it those variables alone, with libpq's defaults: host `localhost`, port 5432, user = the
    /// current OS user, database = the user.
    /// Errors name the variable at fault and never contain the password.
    public static func fromEnvironment(
        _ environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(ConfigurationError) -> ConnectionSettings {
        if let url = environment["DATABASE_URL"], !url.isEmpty {
            return try ConnectionSettings(url: url, source: "DATABASE_URL", environment: environment)
        }
        let value = { (name: String) -> String? in environment[name].flatMap { $0.isEmpty ? nil : $0 } }
        let username = try userName(given: value("PGUSER"), source: "PGUSER")
        var settings = ConnectionSettings(
            host: value("PGHOST") ?? "localhost",
            port: try value("PGPORT").map(parsePortVariable) ?? 5432,
            username: username,
            password: value("PGPASSWORD"),
            database: value("PGDATABASE") ?? username,
            tls: try value("PGSSLMODE").map { mode throws(ConfigurationError) in try TLSMode.parse(mode, source: "PGSSLMODE") } ?? .prefer,
            applicationName: value("PGAPPNAME") ?? "maintenance-robot"
        )
        settings.tlsRootCertificatePath = value("PGSSLROOTCERT")
        return settings
    }

    static func parsePortVariable(_ text: String) throws(ConfigurationError) -> Int {
        guard let port = Int(text), (1...65535).contains(port) else {
            throw ConfigurationError(
                source: "PGPORT",
                problem: "\"\(text)\" is not a port number from 1 to 65535.",
                remedy: "Set PGPORT to the server's port, e.g. 5432, or unset it."
            )
        }
        return port
    }
}
