import Testing
@testable import RobotSession

@Suite("ConnectionSettings")
struct ConnectionSettingsTests {
    static let samples: [ConnectionSettings] = [
        .init(username: "app", password: "topsecret", database: "orders"),
        .init(host: "::1", port: 5433, username: "a b", password: "top@secret:/%", database: "d/b", tls: .verifyFull),
        .init(host: "/var/run/postgresql", username: "app", password: "topsecret", database: "db", tls: .disable, applicationName: "x&y"),
        .init(host: "db", username: "topsecret-not", password: "topsecret", database: "db", tls: .require),
    ]

    @Test("the description is a URL without the password", arguments: samples)
    func descriptionHasNoPassword(_ settings: ConnectionSettings) {
        #expect(settings.description.hasPrefix("postgres://"))
        #expect(!settings.description.replacingOccurrences(of: "topsecret-not", with: "").contains("topsecret"))
        #expect(!settings.description.contains(":***@"))
    }

    @Test("the description parses back to the same settings without the password", arguments: samples)
    func descriptionRoundTrips(_ settings: ConnectionSettings) throws {
        var withoutPassword = settings
        withoutPassword.password = nil
        #expect(try ConnectionSettings(url: settings.description) == withoutPassword)
    }

    @Test("the description shows sslmode, and host and port as parameters for a socket directory")
    func descriptionShape() {
        let tcp = ConnectionSettings(host: "db", username: "app", password: "pw", database: "orders", tls: .require)
        #expect(tcp.description == "postgres://app@db:5432/orders?sslmode=require")
        let socket = ConnectionSettings(host: "/tmp", port: 5433, username: "app", database: "orders", tls: .disable)
        #expect(socket.description == "postgres://app@/orders?host=%2Ftmp&port=5433&sslmode=disable")
    }

    @Test("with(database:) changes only the database")
    func withDatabase() {
        let settings = ConnectionSettings(host: "db", username: "app", password: "pw", database: "orders")
        var expected = settings
        expected.database = "reports"
        #expect(settings.with(database: "reports") == expected)
    }
}
