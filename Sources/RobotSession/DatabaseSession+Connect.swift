import Foundation
import Logging
import NIOCore
import NIOPosix
import NIOSSL
import PostgresNIO
import Synchronization

extension DatabaseSession {
    /// The first pause between attempts; it doubles up to ``longestPause``.
    static let firstPause = Duration.milliseconds(100)
    /// The longest pause between attempts.
    static let longestPause = Duration.seconds(2)
    /// The longest a single attempt (TCP connect, TLS, authentication) may take.
    static let attemptTimeout = Duration.seconds(10)

    /// Connects, retrying with exponential backoff (100 ms doubling up to 2 s) until `bound` passes.
    ///
    /// The first failed attempt that will be retried is announced once at `.notice`, `robot`'s default level, so a
    /// boot that waits is not silent: "database not reachable yet; waiting up to 30 s", with metadata `robot.target`
    /// (redacted), `robot.reason` and `robot.wait_bound_s`. Each failed attempt is logged at `.info` with metadata
    /// `robot.target`, `robot.attempt`, `robot.reason` and `robot.retry_in_ms`. Failures that waiting will not fix — authentication failed,
    /// database or role missing, TLS refused or not trusted — throw ``ConnectionError/rejected(target:reason:)``
    /// at once; when `bound` passes, ``ConnectionError/unreachable(target:waited:attempts:lastReason:)``.
    package static func connect(
        to settings: ConnectionSettings, waitingUpTo bound: Duration, logger: Logger
    ) async throws(ConnectionError) -> DatabaseSession {
        let target = settings.description
        let clock = ContinuousClock()
        let started = clock.now
        let deadline = started + bound
        var pause = firstPause
        var attempt = 0
        // What the error names: the newest reason, except that an attempt the bound cut short and that timed out
        // says only that time ran out, and does not replace a reason an earlier attempt gave (connection refused …).
        var reported: String?
        while true {
            attempt += 1
            let remaining = deadline - clock.now
            switch await attemptConnection(settings, timeout: min(max(remaining, .milliseconds(50)), attemptTimeout), logger: logger) {
            case .connected(let session):
                logger.debug("connected", metadata: ["robot.target": "\(target)", "robot.attempt": "\(attempt)"])
                return session
            case .rejected(let reason):
                throw .rejected(target: target, reason: reason)
            case .failed(let reason, let timedOut):
                if reported == nil || !(timedOut && remaining < attemptTimeout) { reported = reason }
                let left = deadline - clock.now
                guard !Task.isCancelled else { throw .cancelled }
                guard left > .zero else {
                    throw .unreachable(target: target, waited: bound, attempts: attempt, lastReason: reported ?? reason)
                }
                let wait = min(pause, left)
                if attempt == 1 {
                    logger.notice("database not reachable yet; waiting up to \(Self.format(bound))", metadata: [
                        "robot.target": "\(target)", "robot.reason": "\(reason)", "robot.wait_bound_s": "\(bound / .seconds(1))",
                    ])
                }
                logger.info("database not reachable yet; retrying", metadata: [
                    "robot.target": "\(target)", "robot.attempt": "\(attempt)", "robot.reason": "\(reason)",
                    "robot.retry_in_ms": "\(TimeAmount(wait).nanoseconds / 1_000_000)",
                ])
                do {
                    try await Task.sleep(for: wait)
                } catch {
                    throw .cancelled
                }
                pause = min(pause * 2, longestPause)
            }
        }
    }

    /// `30 s`, `1.5 s`: a bound as people write it.
    private static func format(_ bound: Duration) -> String {
        String(format: "%g s", bound / .seconds(1))
    }

    /// How one attempt ended.
    private enum Attempt {
        case connected(DatabaseSession)
        case rejected(String)
        case failed(String, timedOut: Bool)

        init(_ failure: ConnectFailure) {
            switch failure {
            case .retryable(let reason): self = .failed(reason, timedOut: false)
            case .timedOut(let reason): self = .failed(reason, timedOut: true)
            case .permanent(let reason): self = .rejected(reason)
            }
        }
    }

    private static func attemptConnection(_ settings: ConnectionSettings, timeout: Duration, logger: Logger) async -> Attempt {
        let tls: PostgresConnection.Configuration.TLS
        do {
            tls = try settings.postgresTLS()
        } catch {
            return .rejected("the TLS settings cannot be used: \(error)")
        }
        let channel: any Channel
        do {
            channel = try await openChannel(settings, timeout: timeout)
        } catch {
            return Attempt(ConnectFailure(socketError: error))
        }
        do {
            let connection = try await startSession(on: channel, settings: settings, tls: tls, timeout: timeout, logger: logger)
            let notices = NoticeBuffer()
            try await installNoticeSniffer(on: channel, buffer: notices)
            return .connected(DatabaseSession(connection: connection, notices: notices, settings: settings, logger: logger))
        } catch {
            try? await channel.close()
            return Attempt(ConnectFailure(handshakeError: error, tls: settings.tls))
        }
    }

    private static func openChannel(_ settings: ConnectionSettings, timeout: Duration) async throws -> any Channel {
        let bootstrap = ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(TimeAmount(timeout))
        if settings.isUnixSocket {
            return try await bootstrap.connect(unixDomainSocketPath: settings.unixSocketPath).get()
        }
        return try await bootstrap.connect(host: settings.host, port: settings.port).get()
    }

    private static func startSession(
        on channel: any Channel, settings: ConnectionSettings, tls: PostgresConnection.Configuration.TLS,
        timeout: Duration, logger: Logger
    ) async throws -> PostgresConnection {
        var configuration = PostgresConnection.Configuration(
            establishedChannel: channel, tls: settings.isUnixSocket ? .disable : tls,
            username: settings.username, password: settings.password, database: settings.database
        )
        configuration.options.connectTimeout = TimeAmount(timeout)
        configuration.options.additionalStartupParameters = [("application_name", settings.applicationName)]
        // SNI and host-name verification need a name; for an IP literal NIOSSL checks the peer's address itself.
        if !settings.isUnixSocket, (try? SocketAddress(ipAddress: settings.host, port: 0)) == nil {
            configuration.options.tlsServerName = settings.host
        }
        return try await PostgresConnection.connect(
            on: channel.eventLoop, configuration: configuration, id: nextConnectionID(), logger: logger
        )
    }

    /// Adds the notice sniffer once the session is established and the server idle (a message boundary):
    /// after the TLS handler when there is one, so it sees plain text; otherwise first.
    private static func installNoticeSniffer(on channel: any Channel, buffer: NoticeBuffer) async throws {
        try await channel.eventLoop.submit {
            let pipeline = channel.pipeline.syncOperations
            let sniffer = NoticeSniffer(buffer: buffer)
            if let tlsHandler = try? pipeline.handler(type: NIOSSLClientHandler.self) {
                try pipeline.addHandler(sniffer, position: .after(tlsHandler))
            } else {
                try pipeline.addHandler(sniffer, position: .first)
            }
        }.get()
    }

    /// Numbers the connections of this process, for PostgresNIO's log metadata.
    private static let lastConnectionID = Mutex(0)

    private static func nextConnectionID() -> Int {
        lastConnectionID.withLock { last in
            last += 1
            return last
        }
    }
}

extension TimeAmount {
    /// The same span as a NIO `TimeAmount`.
    fileprivate init(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        self = .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}
