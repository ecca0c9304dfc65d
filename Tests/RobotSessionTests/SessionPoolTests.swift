import Logging
import RobotSession
import RobotTestSupport
import Synchronization
import Testing

/// A fleet's pool: idle sessions reused per database, reset when asked, never more open than its limit.
@Suite(.timeLimit(.minutes(2))) struct SessionPoolTests {
    /// Opens sessions to `settings`, counting them.
    final class Opener: Sendable {
        let count = Mutex(0)

        func open(_ settings: ConnectionSettings) async throws(ConnectionError) -> DatabaseSession {
            count.withLock { $0 += 1 }
            return try await DatabaseSession.connect(to: settings, waitingUpTo: .seconds(10), logger: Logger(label: "test"))
        }
    }

    @Test func idleSessionsAreReusedPerDatabaseResetWhenAskedAndEvictedAtTheLimit() async throws {
        let first = try await TestCluster.freshDatabase()
        let second = try await TestCluster.freshDatabase()
        let pool = SessionPool(limit: 2)
        let opener = Opener()
        func take(_ settings: ConnectionSettings) async throws -> DatabaseSession {
            try await pool.session(to: settings) { () async throws(ConnectionError) in try await opener.open(settings) }
        }
        func workMem(_ session: DatabaseSession) async throws -> String? {
            try await session.execute("SELECT current_setting('work_mem') AS value").first?.string("value")
        }

        let a = try await take(first)
        let b = try await take(first)
        #expect(opener.count.withLock { $0 } == 2)
        try await a.execute("SET work_mem = '7MB'")
        await pool.giveBack(a, to: first, reusable: true, resetting: false)
        // Given back as it was: the same session, its setting kept.
        let again = try await take(first)
        #expect(again === a && opener.count.withLock { $0 } == 2)
        #expect(try await workMem(again) == "7MB")
        await pool.giveBack(again, to: first, reusable: true, resetting: true)
        let reset = try await take(first)
        let resetWorkMem = try await workMem(reset)
        #expect(reset === a && resetWorkMem != "7MB")

        // Both sessions to the first database idle, the limit reached: one to the second evicts one of them.
        await pool.giveBack(reset, to: first, reusable: true, resetting: false)
        await pool.giveBack(b, to: first, reusable: true, resetting: false)
        let other = try await take(second)
        #expect(opener.count.withLock { $0 } == 3)
        var closed = 0
        for session in [a, b] where (try? await session.execute("SELECT 1")) == nil { closed += 1 }
        #expect(closed == 1)

        // A session not to be reused is closed, and its place freed.
        await pool.giveBack(other, to: second, reusable: false, resetting: false)
        #expect((try? await other.execute("SELECT 1")) == nil)
        let fresh = try await take(second)
        #expect(fresh !== other && opener.count.withLock { $0 } == 4)
        await pool.giveBack(fresh, to: second, reusable: true, resetting: false)
        await pool.closeAll()
        #expect((try? await fresh.execute("SELECT 1")) == nil)
    }

    @Test func aSessionServesAtMostItsRunsThenIsClosed() async throws {
        let settings = try await TestCluster.freshDatabase()
        let pool = SessionPool(limit: 1, runsPerSession: 2)
        let opener = Opener()
        var sessions: [DatabaseSession] = []
        for _ in 1...3 {
            let session = try await pool.session(to: settings) { () async throws(ConnectionError) in try await opener.open(settings) }
            sessions.append(session)
            await pool.giveBack(session, to: settings, reusable: true, resetting: false)
        }
        #expect(sessions[0] === sessions[1] && sessions[2] !== sessions[0])
        #expect(opener.count.withLock { $0 } == 2)
        #expect((try? await sessions[0].execute("SELECT 1")) == nil)
        await pool.closeAll()
    }
}
