import Testing
@testable import RobotSession

@Suite("ConnectionSettings from URLs")
struct ConnectionSettingsURLTests {
    struct ValidCase: Sendable, CustomTestStringConvertible {
        let url: String
        let expected: ConnectionSettings
        var testDescription: String { url }
    }

    static let validCases: [ValidCase] = [
        ValidCase(
            url: "postgres://app:s3cr%40t%3A%2F%25pw@db.internal:6543/orders",
            expected: .init(host: "db.internal", port: 6543, username: "app", password: "s3cr@t:/%pw", database: "orders")
        ),
        ValidCase(
            url: "postgresql://app@localhost/orders?sslmode=require&application_name=boot%20robot",
            expected: .init(username: "app", database: "orders", tls: .require, applicationName: "boot robot")
        ),
        ValidCase(
            url: "postgres://app:pw@[::1]:5433/db",
            expected: .init(host: "::1", port: 5433, username: "app", password: "pw", database: "db")
        ),
        ValidCase(
            url: "postgres://app@[2001:db8::7]/db?sslmode=verify-full",
            expected: .init(host: "2001:db8::7", username: "app", database: "db", tls: .verifyFull)
        ),
        ValidCase(
            url: "postgres://%C3%A9mile@h/caf%C3%A9",
            expected: .init(host: "h", username: "émile", database: "café")
        ),
        ValidCase(
            url: "postgres:///orders?host=/var/run/postgresql&port=5433&user=app&password=pw",
            expected: .init(host: "/var/run/postgresql", port: 5433, username: "app", password: "pw", database: "orders")
        ),
        ValidCase(
            url: "postgres://h?user=app&dbname=reports&sslmode=disable",
            expected: .init(host: "h", username: "app", database: "reports", tls: .disable)
        ),
        ValidCase(url: "POSTGRES://app@h", expected: .init(host: "h", username: "app", database: "app")),
        ValidCase(
            url: "postgres://app:p@ss@h/db",
            expected: .init(host: "h", username: "app", password: "p@ss", database: "db")
        ),
    ]

    @Test("parses", arguments: validCases)
    func parses(_ testCase: ValidCase) throws {
        #expect(try ConnectionSettings(url: testCase.url, environment: [:]) == testCase.expected)
    }

    @Test("parses every sslmode", arguments: TLSMode.allCases)
    func parsesSSLMode(_ mode: TLSMode) throws {
        #expect(try ConnectionSettings(url: "postgres://u@h/d?sslmode=\(mode.rawValue)").tls == mode)
    }

    @Test("reads sslrootcert")
    func readsRootCertificate() throws {
        let settings = try ConnectionSettings(url: "postgres://u@h/d?sslmode=verify-ca&sslrootcert=%2Fetc%2Fca.pem")
        #expect(settings.tlsRootCertificatePath == "/etc/ca.pem")
    }

    @Test("a missing user is the OS user, a missing database the user")
    func libpqDefaults() throws {
        let settings = try ConnectionSettings(url: "postgres://h", environment: [:])
        #expect(!settings.username.isEmpty)
        #expect(settings.database == settings.username)
        #expect(settings.port == 5432)
        #expect(settings.tls == .prefer)
        #expect(settings.applicationName == "maintenance-robot")
    }

    struct InvalidCase: Sendable, CustomTestStringConvertible {
        let url: String
        let mentions: String
        var testDescription: String { url }
    }

    static let invalidCases: [InvalidCase] = [
        InvalidCase(url: "mysql://u:topsecret@h/d", mentions: "not a PostgreSQL URL"),
        InvalidCase(url: "h:5432/d", mentions: "not a PostgreSQL URL"),
        InvalidCase(url: "postgres://u:topsecret@h/d?connect_timeout=5", mentions: "Unknown parameter \"connect_timeout\""),
        InvalidCase(url: "postgres://u:topsecret@/d", mentions: "names no host"),
        InvalidCase(url: "postgres://u:topsecret@h:70000/d", mentions: "not a number from 1 to 65535"),
        InvalidCase(url: "postgres://u:topsecret@h:0/d", mentions: "not a number from 1 to 65535"),
        InvalidCase(url: "postgres://u:topsecret@h:port/d", mentions: "not a number from 1 to 65535"),
        InvalidCase(url: "postgres://u:topsecret@h/d?sslmode=always", mentions: "sslmode \"always\""),
        InvalidCase(url: "postgres://u:topsecret%zz@h/d", mentions: "password"),
        InvalidCase(url: "postgres://u:topsecret@[::1/d", mentions: "closing"),
        InvalidCase(url: "postgres://u:topsecret@a,b/d", mentions: "several hosts"),
        InvalidCase(url: "postgres://u@h/d?password=topsecret&bogus=1", mentions: "Unknown parameter \"bogus\""),
        InvalidCase(url: "postgres://u:topsecret/x@h:99999/d", mentions: "not a number"),
        InvalidCase(url: "postgres://u:topsecret", mentions: "not a number"),
        InvalidCase(url: "postgres://app@host/db?pass%77ord=topsecret&port=x", mentions: "not a number"),
        InvalidCase(url: "postgres://app@host/db?passwd=topsecret", mentions: "Unknown parameter \"passwd\""),
    ]

    @Test("rejects with a helpful error that never shows the password", arguments: invalidCases)
    func rejects(_ testCase: InvalidCase) {
        #expect {
            try ConnectionSettings(url: testCase.url, environment: [:])
        } throws: { error in
            guard let error = error as? ConfigurationError else { return false }
            return error.description.contains(testCase.mentions)
                && !error.description.contains("topsecret")
                && error.source == "connection URL"
        }
    }

    @Test("redaction hides the password in every position")
    func redaction() {
        let urls = [
            "postgres://u:topsecret@h/d", "postgres://u:top@secret@h/d", "postgres://u@h/d?password=topsecret",
            "postgres://u@h/d?sslmode=x&PASSWORD=topsecret&a=b", "postgres://u:topsecret", "postgres://u:topsecret@h?x=a@b",
            "postgres://u@h/d?pass%77ord=topsecret", "postgres://u@h/d?%70assword=topsecret&port=1", "postgres://u@h?passwd=topsecret",
        ]
        for url in urls {
            #expect(!redactedConnectionURL(url).contains("secret"), "\(redactedConnectionURL(url))")
        }
        #expect(redactedConnectionURL("postgres://u:topsecret@h:5432/d") == "postgres://u:***@h:5432/d")
        #expect(redactedConnectionURL("postgres://u@h/d?sslmode=require&pass%77ord=x") == "postgres://u@h/d?sslmode=require&pass%77ord=***")
    }

    @Test("libpq's variables fill what the URL leaves out; the URL wins where it says")
    func variablesFillTheGaps() throws {
        let environment = [
            "PGPASSWORD": "from-env", "PGPORT": "6000", "PGSSLMODE": "require", "PGAPPNAME": "boot",
            "PGUSER": "env-user", "PGDATABASE": "env-db", "PGHOST": "env-host", "PGSSLROOTCERT": "/etc/ca.pem",
        ]
        var expected = ConnectionSettings(host: "db", port: 6000, username: "app", password: "from-env", database: "orders",
                                          tls: .require, applicationName: "boot")
        expected.tlsRootCertificatePath = "/etc/ca.pem"
        #expect(try ConnectionSettings(url: "postgres://app@db/orders", environment: environment) == expected)
        let gaps = try ConnectionSettings(url: "postgres://", environment: environment)
        #expect((gaps.host, gaps.username, gaps.database) == ("env-host", "env-user", "env-db"))
        let given = try ConnectionSettings(url: "postgres://app:pw@db:5433/orders?sslmode=disable", environment: environment)
        #expect((given.password, given.port, given.tls) == ("pw", 5433, .disable))
    }
}
