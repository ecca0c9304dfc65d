import Foundation

/// Where to connect: one PostgreSQL server, database and role.
///
/// Its ``description`` is a URL without the password, safe to log.
///
/// ## Topics
/// - ``init(host:port:username:password:database:tls:applicationName:)``
/// - ``init(url:)``, ``fromEnvironment(_:)``
/// - ``with(database:)``
public struct ConnectionSettings: Sendable, Hashable, CustomStringConvertible {
    /// A host name or IP address, or a unix-socket directory when it starts with "/".
    public var host: String
    /// The TCP port, or the number in the socket file's name (`.s.PGSQL.<port>`).
    public var port: Int
    /// The role to log in as.
    public var username: String
    /// The password, if the server asks for one. Never printed.
    public var password: String?
    /// The database to connect to.
    public var database: String
    /// How to use TLS; ignored for unix sockets (like libpq).
    public var tls: TLSMode
    /// Shown in `pg_stat_activity.application_name`.
    public var applicationName: String
    /// A PEM file of trusted root certificates for `verify-ca` / `verify-full` (libpq's `sslrootcert`);
    /// `nil` uses the system's trust store.
    public var tlsRootCertificatePath: String?

    /// Creates settings from their parts.
    public init(
        host: String = "localhost",
        port: Int = 5432,
        username: String,
        password: String? = nil,
        database: String,
        tls: TLSMode = .prefer,
        applicationName: String = "maintenance-robot"
    ) {
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.database = database
        self.tls = tls
        self.applicationName = applicationName
    }

    /// Whether ``host`` names a unix-socket directory.
    public var isUnixSocket: Bool { host.hasPrefix("/") }

    /// The socket file for a unix-socket ``host``: `<host>/.s.PGSQL.<port>`.
    var unixSocketPath: String { "\(host)/.s.PGSQL.\(port)" }

    /// The same settings aimed at another database on the same server.
    public func with(database: String) -> ConnectionSettings {
        var copy = self
        copy.database = database
        return copy
    }

    /// A `postgres://` URL without the password, e.g. `postgres://app@db.internal:5432/app?sslmode=require`.
    /// It parses back with ``init(url:)`` to the same settings minus the password.
    public var description: String {
        var query = [("sslmode", tls.rawValue)]
        if applicationName != "maintenance-robot" { query.append(("application_name", applicationName)) }
        if let tlsRootCertificatePath { query.append(("sslrootcert", tlsRootCertificatePath)) }
        let authority: String
        if isUnixSocket {
            authority = ""
            query.insert(contentsOf: [("host", host), ("port", String(port))], at: 0)
        } else {
            authority = (host.contains(":") ? "[\(host)]" : host) + ":\(port)"
        }
        let parameters = query.map { "\($0.0)=\(percentEncoded($0.1))" }.joined(separator: "&")
        return "postgres://\(percentEncoded(username))@\(authority)/\(percentEncoded(database))?\(parameters)"
    }
}

/// `text` with everything but RFC 3986's unreserved characters percent-encoded.
private func percentEncoded(_ text: String) -> String {
    let unreserved = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~")
    return text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? text
}
