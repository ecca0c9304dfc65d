import Foundation

extension ConnectionSettings {
    /// Parses a `postgres://` or `postgresql://` URL, as libpq does:
    /// `postgres://[user[:password]@][host][:port][/database][?parameter=value&…]`.
    ///
    /// User, password and database are percent-decoded; an IPv6 host is written in brackets (`[::1]`).
    /// Query parameters: `sslmode`, `sslrootcert`, `application_name`, `host` (a socket directory or a host),
    /// `port`, `user`, `password`, `dbname`; any other parameter is an error naming it. A missing user is
    /// What the URL leaves out comes from libpq's variables in `environment`, as libpq does it: `PGHOST`, `PGPORT`,
    /// `PGUSER`, `PGPASSWORD`, `PGDATABASE`, `PGSSLMODE`, `PGSSLROOTCERT`, `PGAPPNAME`; then a missing user is
    /// the current OS user, a missing database the user's name, a missing port 5432.
    /// Errors show the URL with its password (and every parameter value that may be secret) replaced by `***`.
    public init(url: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws(ConfigurationError) {
        try self.init(url: url, source: "connection URL", environment: environment)
    }

    init(url: String, source: String, environment: [String: String]) throws(ConfigurationError) {
        var parser = URLParser(url: url, source: source, environment: environment)
        self = try parser.parse()
    }
}

/// Splits a connection URL into its parts; every error carries the redacted URL.
private struct URLParser {
    let url: String
    let source: String
    /// libpq's variables, for what the URL leaves out.
    let environment: [String: String]
    var host: String?
    var port: Int?
    var username: String?
    var password: String?
    var database: String?
    var tls: TLSMode?
    var applicationName: String?
    var rootCertificate: String?

    init(url: String, source: String, environment: [String: String]) {
        self.url = url
        self.source = source
        self.environment = environment
    }

    mutating func parse() throws(ConfigurationError) -> ConnectionSettings {
        let afterScheme = try stripScheme()
        let (beforeQuery, query) = afterScheme.splitOnce("?")
        let (authority, path) = beforeQuery.splitOnce("/")
        try parseAuthority(authority)
        if let path, !path.isEmpty { database = try decode(path, what: "database name") }
        for parameter in (query ?? "").split(separator: "&") where !parameter.isEmpty {
            try apply(parameter: String(parameter))
        }
        return try settings()
    }

    private func stripScheme() throws(ConfigurationError) -> String {
        for scheme in ["postgres://", "postgresql://"] where url.lowercased().hasPrefix(scheme) {
            return String(url.dropFirst(scheme.count))
        }
        throw failure(
            "\(redactedConnectionURL(url)) is not a PostgreSQL URL.",
            remedy: "Write it as postgres://user:password@host:5432/database (postgresql:// works too)."
        )
    }

    private mutating func parseAuthority(_ authority: String) throws(ConfigurationError) {
        var hostAndPort = authority
        if let at = authority.lastIndex(of: "@") {
            let (user, secret) = String(authority[..<at]).splitOnce(":")
            if !user.isEmpty { username = try decode(user, what: "user name") }
            if let secret { password = try decode(secret, what: "password") }
            hostAndPort = String(authority[authority.index(after: at)...])
        }
        try parseHostAndPort(hostAndPort)
    }

    private mutating func parseHostAndPort(_ text: String) throws(ConfigurationError) {
        var portText: String?
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else {
                throw failure("The IPv6 address in \(redactedConnectionURL(url)) has no closing \"]\".", remedy: "Write it as [::1].")
            }
            host = String(text[text.index(after: text.startIndex)..<close])
            let rest = text[text.index(after: close)...]
            guard rest.isEmpty || rest.hasPrefix(":") else {
                throw failure("Unexpected text after the IPv6 address in \(redactedConnectionURL(url)).", remedy: "Write it as [::1]:5432.")
            }
            portText = rest.isEmpty ? nil : String(rest.dropFirst())
        } else {
            let (name, number) = text.splitOnce(":")
            if name.contains(",") {
                throw failure("\(redactedConnectionURL(url)) lists several hosts; only one is supported.", remedy: "Give one host.")
            }
            if !name.isEmpty { host = try decode(name, what: "host") }
            portText = number
        }
        if let portText, !portText.isEmpty { port = try parsePort(portText) }
    }

    private mutating func apply(parameter: String) throws(ConfigurationError) {
        let (rawName, rawValue) = parameter.splitOnce("=")
        let name = try decode(rawName, what: "parameter name")
        let value = try decode(rawValue ?? "", what: "value of \(name)")
        switch name {
        case "sslmode": tls = try TLSMode.parse(value, source: source)
        case "sslrootcert": rootCertificate = value
        case "application_name": applicationName = value
        case "host": host = value
        case "port": port = try parsePort(value)
        case "user": username = value
        case "password": password = value
        case "dbname": database = value
        default:
            throw failure(
                "Unknown parameter \"\(name)\" in \(redactedConnectionURL(url)).",
                remedy: "Supported: sslmode, sslrootcert, application_name, host, port, user, password, dbname."
            )
        }
    }

    private func parsePort(_ text: String) throws(ConfigurationError) -> Int {
        guard let number = Int(text), (1...65535).contains(number) else {
            throw failure(
                "The port in \(redactedConnectionURL(url)) is not a number from 1 to 65535.",
                remedy: "Write the port as digits, e.g. :5432."
            )
        }
        return number
    }

    private func decode(_ text: String, what: String) throws(ConfigurationError) -> String {
        guard let decoded = text.removingPercentEncoding else {
            throw failure(
                "The \(what) in \(redactedConnectionURL(url)) is not valid percent-encoding.",
                remedy: "Encode special characters as %XX (e.g. @ as %40, % as %25)."
            )
        }
        return decoded
    }

    private func settings() throws(ConfigurationError) -> ConnectionSettings {
        let variable = { (name: String) -> String? in environment[name].flatMap { $0.isEmpty ? nil : $0 } }
        guard let host = host.flatMap({ $0.isEmpty ? nil : $0 }) ?? variable("PGHOST") else {
            throw failure(
                "\(redactedConnectionURL(url)) names no host.",
                remedy: "Add one: postgres://user@host:5432/database, or ?host=/socket/directory for a unix socket."
            )
        }
        let user = try userName(given: username ?? variable("PGUSER"), source: source)
        var resolvedPort = port ?? 5432
        if port == nil, let text = variable("PGPORT") { resolvedPort = try ConnectionSettings.parsePortVariable(text) }
        var resolvedTLS = tls ?? .prefer
        if tls == nil, let mode = variable("PGSSLMODE") { resolvedTLS = try TLSMode.parse(mode, source: "PGSSLMODE") }
        var settings = ConnectionSettings(
            host: host, port: resolvedPort, username: user, password: password ?? variable("PGPASSWORD"),
            database: database ?? variable("PGDATABASE") ?? user, tls: resolvedTLS,
            applicationName: applicationName ?? variable("PGAPPNAME") ?? "maintenance-robot"
        )
        settings.tlsRootCertificatePath = rootCertificate ?? variable("PGSSLROOTCERT")
        return settings
    }

    private func failure(_ problem: String, remedy: String) -> ConfigurationError {
        ConfigurationError(source: source, problem: problem, remedy: remedy)
    }
}

/// `url` with the password (between the user name and the last "@") and the value of every query parameter that
/// may be secret (`password`, however its name is percent-encoded, and any parameter the robot does not know)
/// replaced by `***`; without an "@", a non-numeric port is hidden too (it may be a password missing its "@").
/// It errs on the side of hiding: on a malformed URL it may hide more than the password.
func redactedConnectionURL(_ url: String) -> String {
    guard let schemeEnd = url.range(of: "://") else { return "the URL" }
    let (address, query) = String(url[schemeEnd.upperBound...]).splitOnce("?")
    var rest = Substring(address)
    var redacted = String(url[..<schemeEnd.upperBound])
    if let at = rest.lastIndex(of: "@") {
        let userInfo = rest[..<at]
        redacted += userInfo.firstIndex(of: ":").map { "\(userInfo[..<$0]):***" } ?? String(userInfo)
        rest = rest[at...]
    } else if let colon = rest.firstIndex(of: ":"), !rest.hasPrefix("[") {
        // "user:password" without "@" would read as host and port: hide a "port" that is not digits.
        let portEnd = rest[colon...].firstIndex { $0 == "/" } ?? rest.endIndex
        let port = rest[rest.index(after: colon)..<portEnd]
        if !port.allSatisfy(\.isNumber) {
            redacted += "\(rest[..<colon]):***"
            rest = rest[portEnd...]
        }
    }
    redacted += rest
    guard let query else { return redacted }
    let shown: Set<String> = ["sslmode", "sslrootcert", "application_name", "host", "port", "user", "dbname"]
    let parameters = query.split(separator: "&", omittingEmptySubsequences: false).map { parameter in
        let (name, value) = String(parameter).splitOnce("=")
        guard value != nil, !shown.contains(name.removingPercentEncoding ?? name) else { return String(parameter) }
        return name + "=***"
    }
    return redacted + "?" + parameters.joined(separator: "&")
}

/// `given`, or else the name of the user this process runs as: libpq's default role.
func userName(given: String?, source: String) throws(ConfigurationError) -> String {
    if let given {
        return given
    }
    if let entry = getpwuid(geteuid()), let name = entry.pointee.pw_name {
        return String(cString: name)
    }
    throw ConfigurationError(
        source: source,
        problem: "No user name is given and the current OS user has no name.",
        remedy: "Set the user in the URL or in PGUSER."
    )
}

private extension String {
    /// The text before the first `separator`, and after it (`nil` when there is no separator).
    func splitOnce(_ separator: Character) -> (String, String?) {
        guard let splitIndex = firstIndex(of: separator) else { return (self, nil) }
        return (String(self[..<splitIndex]), String(self[index(after: splitIndex)...]))
    }
}
