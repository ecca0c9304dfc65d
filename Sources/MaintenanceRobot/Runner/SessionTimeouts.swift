/// The session's `lock_timeout` and `statement_timeout`. Set at session level (inside a step's
/// transaction it commits or rolls back with the step), so they hold for every later step.
enum SessionTimeouts {
    static func set(lock: Duration, statement: Duration, on session: DatabaseSession) async throws(DatabaseError) {
        try await session.execute(
            "SELECT set_config('lock_timeout', $1, false), set_config('statement_timeout', $2, false)",
            [.text("\(max(1, lock.milliseconds))ms"), .text("\(max(1, statement.milliseconds))ms")]
        )
    }
}

extension Duration {
    /// The duration in seconds, as a `Double`.
    var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
