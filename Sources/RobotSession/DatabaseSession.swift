import Logging
import PostgresNIO

/// One dedicated connection used for a whole run. Nothing else in the project talks to PostgresNIO.
///
/// A class rather than an actor: `PostgresConnection` already serialises the statements sent to it, and the
/// only mutable state here — the notices not yet taken — sits behind a lock, so an actor would add hops
/// without protecting anything. Run one statement at a time: notices of concurrent statements interleave.
///
/// ## Topics
/// - ``connect(to:waitingUpTo:logger:)``, ``init(borrowing:logger:)``, ``close()``
/// - ``execute(_:_:)``, ``takeNotices()``
public final class DatabaseSession: Sendable {
    private let connection: PostgresConnection
    private let logger: Logger
    /// `nil` for a borrowed connection, whose notices cannot be seen.
    private let notices: NoticeBuffer?
    private let ownsConnection: Bool

    /// The redacted target (no password), for logs.
    package let target: String

    init(connection: PostgresConnection, notices: NoticeBuffer, settings: ConnectionSettings, logger: Logger) {
        self.connection = connection
        self.notices = notices
        self.ownsConnection = true
        self.target = settings.description
        self.logger = logger
    }

    /// Wraps a connection the caller already has (e.g. leased from its `PostgresClient`), for
    /// ``Robot/run(borrowing:logger:)``.
    ///
    /// Notices cannot be captured on such a connection (PostgresNIO 1.33.2 does not forward them), so
    /// ``takeNotices()`` always returns an empty array; and ``close()`` leaves the connection open: it
    /// belongs to the caller.
    public init(borrowing connection: PostgresConnection, logger: Logger) {
        self.connection = connection
        self.notices = nil
        self.ownsConnection = false
        self.target = "borrowed connection \(connection.id)"
        self.logger = logger
    }

    /// Runs ONE statement (scripts are split by the engine) with `binds` for `$1`, `$2` …; returns its rows.
    @discardableResult
    package func execute(_ sql: String, _ binds: [SQLValue] = []) async throws(DatabaseError) -> [SessionRow] {
        do {
            let rows = try await connection.allRows(of: PostgresQuery(unsafeSQL: sql, binds: PostgresBindings(binds)), logger: logger)
            let columnNames = rows.first.map { $0.map(\.columnName) } ?? []
            return rows.map { SessionRow($0, columnNames: columnNames) }
        } catch {
            throw DatabaseError(error)
        }
    }

    /// Runs `operation` with its nonisolated code on the connection's event loop: a run of many statements
    /// then does not cross threads twice per statement (to the event loop to write, and back when the answer
    /// arrives). It stays because a benchmark run measured it (bench/README.md: about 10% of a heal at
    /// N = 500). Only on a connection of the session's own (on NIO's event loop group that lives as long as the
    /// process): a borrowed one's loop is its owner's to use and to shut down.
    package func withConnectionExecutor<T, E: Error>(_ operation: () async throws(E) -> T) async throws(E) -> T {
        guard ownsConnection else { return try await operation() }
        let result: Result<T, E> = await withTaskExecutorPreference(EventLoopTaskExecutor(connection.eventLoop)) {
            do throws(E) { return .success(try await operation()) } catch { return .failure(error) }
        }
        return try result.get()
    }

    /// The notices received since the last call, in order; empty for a borrowed connection.
    package func takeNotices() -> [ServerNotice] {
        notices?.takeAll() ?? []
    }

    /// Closes the connection (a borrowed one is left to its owner). Safe to call more than once.
    package func close() async {
        guard ownsConnection else { return }
        do {
            try await connection.close()
        } catch {
            logger.debug("closing the connection failed", metadata: ["robot.target": "\(target)", "robot.error": "\(error)"])
        }
    }
}
