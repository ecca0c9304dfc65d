import Testing
@testable import RobotSession

@Suite("ConnectionSettings from the environment")
struct ConnectionSettingsEnvironmentTests {
    @Test("DATABASE_URL wins over the PG variables")
    func databaseURLWins() throws {
        let settings = try ConnectionSettings.fromEnvironment([
            "DATABASE_URL": "postgres://app:pw@db:6000/orders?sslmode=require",
            "PGHOST": "other", "PGUSER": "other", "PGPASSWORD": "other", "PGDATABASE": "other",
        ])
        #expect(settings == ConnectionSettings(host: "db", port: 6000, username: "app", password: "pw", database: "orders", tls: .require))
    }

    @Test("PGPASSWORD is used when DATABASE_URL carries no password")
    func passwordFromTheVariable() throws {
        let settings = try ConnectionSettings.fromEnvironment(["DATABASE_URL": "postgres://app@db/orders", "PGPASSWORD": "pw"])
        #expect(settings.password == "pw")
        #expect(!settings.description.contains("pw@"))
    }

    @Test("the PG variables are read when DATABASE_URL is unset or empty", arguments: [nil, ""] as [String?])
    func libpqVariables(databaseURL: String?) throws {
        var environment = [
            "PGHOST": "/run/pg", "PGPORT": "5433", "PGUSER": "app", "PGPASSWORD": "pw", "PGDATABASE": "orders",
            "PGSSLMODE": "verify-ca", "PGAPPNAME": "boot", "PGSSLROOTCERT": "/etc/ca.pem",
        ]
        environment["DATABASE_URL"] = databaseURL
        var expected = ConnectionSettings(
            host: "/run/pg", port: 5433, username: "app", password: "pw", database: "orders", tls: .verifyCA, applicationName: "boot"
        )
        expected.tlsRootCertificatePath = "/etc/ca.pem"
        #expect(try ConnectionSettings.fromEnvironment(environment) == expected)
    }

    @Test("libpq's defaults apply to unset variables")
    func defaults() throws {
        let settings = try ConnectionSettings.fromEnvironment([:])
        #expect(settings.host == "localhost")
        #expect(settings.port == 5432)
        #expect(!settings.username.isEmpty)
        #expect(settings.database == settings.username)
        #expect(settings.password == nil)
        #expect(settings.tls == .prefer)
        #expect(try ConnectionSettings.fromEnvironment(["PGUSER": "app"]).database == "app")
    }

    @Test("errors name the variable and never show the password", arguments: [
        (["DATABASE_URL": "postgres://u:topsecret@h:99999/d"], "DATABASE_URL"),
        (["DATABASE_URL": "http://u:topsecret@h/d"], "DATABASE_URL"),
        (["PGPORT": "fivefourthreetwo", "PGPASSWORD": "topsecret"], "PGPORT"),
        (["PGSSLMODE": "sometimes", "PGPASSWORD": "topsecret"], "PGSSLMODE"),
    ])
    func errorsNameTheVariable(environment: [String: String], variable: String) {
        #expect {
            try ConnectionSettings.fromEnvironment(environment)
        } throws: { error in
            guard let error = error as? ConfigurationError else { return false }
            return error.source == variable && error.description.hasPrefix(variable) && !error.description.contains("topsecret")
        }
    }
}
