import NIOCore
import NIOPosix
import NIOSSL
import PostgresNIO

/// Whether a failed connection attempt may succeed later (the server is starting, the network is down) or
/// will not (the server refused us for a reason waiting does not change), and a sentence saying why.
enum ConnectFailure: Equatable {
    case retryable(String)
    case permanent(String)
    /// The attempt ran out of its time: retryable, but it says less than a refusal did.
    case timedOut(String)

    /// SQLSTATEs at startup that waiting can cure: too many connections, the server starting or stopping.
    private static let retryableStates: Set<String> = ["53300", "53000", "57P01", "57P02", "57P03"]

    /// Classifies a failure of the PostgreSQL handshake (after the socket connected).
    init(handshakeError error: any Error, tls: TLSMode) {
        if Self.isTLSFailure(error) {
            self = .permanent("the TLS handshake failed (\(error)); check sslmode and the server's certificate (sslrootcert)")
            return
        }
        guard let error = error as? PSQLError else {
            self = .retryable("\(error)")
            return
        }
        switch error.code {
        case .server:
            self = Self.classifyServerError(error.serverInfo)
        case .sslUnsupported:
            self = .permanent("the server does not offer TLS, but sslmode=\(tls.rawValue) requires it; enable ssl on the server or use sslmode=prefer")
        case .authMechanismRequiresPassword:
            self = .permanent("the server asks for a password and none is set; put it in the URL or in PGPASSWORD")
        case .unsupportedAuthMechanism, .saslError:
            self = .permanent("authentication failed: \(DatabaseError.describe(error)); use scram-sha-256 or md5 authentication")
        case .connectionError where error.underlying.map(Self.isTLSFailure) ?? false:
            self = .permanent("the TLS handshake failed (\(DatabaseError.describe(error))); check sslmode and the server's certificate (sslrootcert)")
        default:
            self = .retryable(DatabaseError.describe(error))
        }
    }

    /// Classifies a failure to open the socket: always worth another try (the server may be starting, DNS
    /// may not know the name yet).
    init(socketError error: any Error) {
        if let error = error as? NIOConnectionError {
            if let first = error.connectionErrors.first {
                self = .retryable("\(first.error)")
                return
            }
            if let dns = error.dnsAError ?? error.dnsAAAAError {
                self = .retryable("cannot resolve \(error.host): \(dns)")
                return
            }
        }
        if case ChannelError.connectTimeout(let amount) = error {
            self = .timedOut("connecting timed out after \(amount.nanoseconds / 1_000_000) ms")
            return
        }
        self = .retryable("\(error)")
    }

    private static func classifyServerError(_ info: PSQLError.ServerInfo?) -> ConnectFailure {
        let state = info?[.sqlState] ?? "?????"
        let message = "\(info?[.message] ?? "the server refused the connection") (SQLSTATE \(state))"
        if retryableStates.contains(state) || state.hasPrefix("08") {
            return .retryable(message)
        }
        return .permanent(message + remedy(for: state))
    }

    private static func remedy(for state: String) -> String {
        switch state {
        case "28P01": "; check the password (URL or PGPASSWORD) for this role"
        case "28000": "; the role does not exist or pg_hba.conf has no entry for this host, role and database"
        case "3D000": "; create the database or fix its name"
        case "42501": "; grant CONNECT on the database to this role"
        default: ""
        }
    }

    private static func isTLSFailure(_ error: any Error) -> Bool {
        error is NIOSSLError || error is BoringSSLError || error is NIOSSLExtraError
    }
}

extension ConnectionSettings {
    /// The PostgresNIO TLS setting for ``tls``: `allow` and `prefer` try TLS without verification and fall back
    /// to plain text; `require` insists without verification; `verify-ca` verifies the chain; `verify-full`
    /// also the host name. ``tlsRootCertificatePath`` replaces the system's trust roots.
    func postgresTLS() throws -> PostgresConnection.Configuration.TLS {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.certificateVerification = switch tls {
        case .disable, .allow, .prefer, .require: .none
        case .verifyCA: .noHostnameVerification
        case .verifyFull: .fullVerification
        }
        if let tlsRootCertificatePath {
            configuration.trustRoots = .file(tlsRootCertificatePath)
        }
        switch tls {
        case .disable: return .disable
        case .allow, .prefer: return .prefer(try NIOSSLContext(configuration: configuration))
        case .require, .verifyCA, .verifyFull: return .require(try NIOSSLContext(configuration: configuration))
        }
    }
}
