import Synchronization

/// Sessions kept open between runs that connect with the same settings, such as a fleet's tenant schemas of one
/// database: a run takes an idle one or opens one, and gives it back when it ends. So the tenants of one database
/// share a few connections instead of starting a server backend each.
///
/// Never more than `limit` sessions are open, idle ones included: a run that finds none idle to its database while
/// the limit is reached closes an idle one to another database first. A session given back is reset with
/// `DISCARD ALL` when its run may have changed it (it ran statements of its own), and closed when that fails or when
/// it is not to be reused. A session serves at most `runsPerSession` runs: a server backend's caches grow with every
/// tenant it touches, and a fleet run on one connection was measured slowing from 31 ms to 45 ms a tenant over 400
/// tenants (bench/README.md), where a new connection costs a few milliseconds.
package final class SessionPool: Sendable {
    private struct State {
        var idle: [ConnectionSettings: [DatabaseSession]] = [:]
        var open = 0
        /// How many runs each open session served, by identity.
        var runs: [ObjectIdentifier: Int] = [:]
    }

    private let limit: Int
    private let runsPerSession: Int
    private let state = Mutex(State())

    /// - Precondition: `limit >= 1` and `runsPerSession >= 1`.
    package init(limit: Int, runsPerSession: Int = 100) {
        precondition(limit >= 1 && runsPerSession >= 1, "a pool holds at least one session, for at least one run")
        self.limit = limit
        self.runsPerSession = runsPerSession
    }

    /// An idle session to `settings`, or the one `connect` opens.
    package func session<E: Error>(
        to settings: ConnectionSettings, connect: () async throws(E) -> DatabaseSession
    ) async throws(E) -> DatabaseSession {
        let (idle, evicted) = state.withLock { state -> (DatabaseSession?, DatabaseSession?) in
            if let session = state.idle[settings]?.popLast() { return (session, nil) }
            // At the limit, the caller holds no session, so one is idle: to another database.
            if state.open >= limit, let other = state.idle.first(where: { !$0.value.isEmpty })?.key,
               let evicted = state.idle[other]?.popLast() {
                state.runs[ObjectIdentifier(evicted)] = nil
                return (nil, evicted)
            }
            state.open += 1
            return (nil, nil)
        }
        if let idle { return idle }
        await evicted?.close()
        do {
            return try await connect()
        } catch {
            state.withLock { $0.open -= 1 }
            throw error
        }
    }

    /// Keeps `session` for the next run to `settings` (reset first when `resetting`), or closes it when it is not
    /// `reusable`, served its runs, or the reset fails.
    package func giveBack(_ session: DatabaseSession, to settings: ConnectionSettings, reusable: Bool, resetting: Bool) async {
        let served = state.withLock { state in
            state.runs[ObjectIdentifier(session), default: 0] += 1
            return state.runs[ObjectIdentifier(session)] ?? 0
        }
        var keep = reusable && served < runsPerSession && !Task.isCancelled
        if keep && resetting {
            keep = (try? await session.execute("DISCARD ALL")) != nil
        }
        if keep {
            _ = session.takeNotices()  // any this run left: the next run starts with none
            state.withLock { $0.idle[settings, default: []].append(session) }
            return
        }
        await session.close()
        state.withLock { state in
            state.open -= 1
            state.runs[ObjectIdentifier(session)] = nil
        }
    }

    /// Closes every idle session. Call it once the runs that share the pool ended.
    package func closeAll() async {
        let idle = state.withLock { state in
            let idle = state.idle.values.flatMap { $0 }
            state.open -= idle.count
            for session in idle { state.runs[ObjectIdentifier(session)] = nil }
            state.idle = [:]
            return idle
        }
        for session in idle { await session.close() }
    }
}
