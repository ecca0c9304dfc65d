import Logging
import NIOCore
import PostgresNIO

extension PostgresConnection {
    /// Runs `query` and collects its rows, failing at once with a lost-connection ``DatabaseError`` when the
    /// connection has already closed.
    ///
    /// Use it instead of `query(_:logger:)` wherever a connection may end under you (a server restart, an
    /// administrator's `pg_terminate_backend`, a FATAL error). PostgresNIO 1.33.2 writes a query to its
    /// channel without a promise, so a query written to a channel that has just closed is never answered and
    /// its caller waits forever. Here the check and the write happen together on the connection's event loop,
    /// where nothing can close the channel in between: the query either reaches the live connection (which
    /// fails it if the connection ends later) or is refused.
    public func allRows(of query: PostgresQuery, logger: Logger) async throws -> [PostgresRow] {
        try await eventLoop.flatSubmit { () -> EventLoopFuture<PostgresQueryResult> in
            guard !self.isClosed else { return self.eventLoop.makeFailedFuture(Self.closedConnectionError) }
            return self.query(query, logger: logger)
        }.get().rows
    }

    private static let closedConnectionError = DatabaseError(
        message: "the connection is closed (the server ended the session or the network failed)", isConnectionLost: true
    )
}
