import Logging
@testable import RobotSession
import RobotTestSupport
import Testing
import ThrowawayPostgres

/// A boot that waits for its database says so once at `notice`, the default level of `robot`.
@Suite("DatabaseSession.connect: the notice that it waits")
struct ConnectWaitNoticeTests {
    @Test func anUnreachableDatabaseIsAnnouncedOnceAtNoticeWithTheBoundAndNoSecret() async throws {
        let logs = CapturedLogs()
        let port = try ThrowawayCluster.freePort()
        let settings = ConnectionSettings(host: "127.0.0.1", port: port, username: "postgres", password: "topsecret", database: "postgres")
        await #expect(throws: ConnectionError.self) {
            // A bound well above the seconds a loaded test run can hold a refused attempt's continuation back.
            try await DatabaseSession.connect(to: settings, waitingUpTo: .milliseconds(6500), logger: logs.logger(level: .trace))
        }
        let notices = logs.entries.filter { $0.level >= .notice }
        #expect(notices.count == 1, "\(notices.map(\.renderedLine))")
        let notice = try #require(notices.first)
        #expect(notice.level == .notice)
        #expect(notice.message == "database not reachable yet; waiting up to 6.5 s", "\(notice.message)")
        #expect(notice.metadata["robot.target"] == settings.description)
        #expect(notice.metadata["robot.reason"]?.localizedCaseInsensitiveContains("refused") == true, "\(notice.renderedLine)")
        // Later attempts stay below the default level.
        #expect(logs.entries.filter { $0.metadata["robot.attempt"] != nil }.count >= 3)
        #expect(logs.entries.allSatisfy { !$0.renderedLine.contains("topsecret") })
    }
}
