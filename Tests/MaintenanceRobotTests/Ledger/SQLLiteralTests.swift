@testable import MaintenanceRobot
import RobotTestSupport
import Testing

/// Literals the robot writes into statements it cannot bind (its ledger row inside a step's block).
@Suite struct SQLLiteralTests {
    static let texts = [
        "", "plain", "it's", "''", "back\\slash", "\\'", "trailing\\", "ünïcödé 'quoted' — ok",
        "'\u{301}accent on a quote", "line\nbreak\ttab", "emoji 🐘 and a quote '",
    ]

    @Test func quotesAndBackslashesAreDoubled() {
        #expect("it's".sqlLiteral == "E'it''s'")
        #expect("a\\b".sqlLiteral == "E'a\\\\b'")
        #expect("".sqlLiteral == "E''")
    }

    @Test func theServerReadsEveryLiteralBackAsItsText() async throws {
        let session = try await DatabaseSession.connect(to: try await TestCluster.freshDatabase(), waitingUpTo: .seconds(10), logger: CapturedLogs().logger())
        defer { Task { await session.close() } }
        for text in Self.texts {
            let rows = try await session.execute("SELECT \(text.sqlLiteral) AS text")
            #expect(rows.first?.string("text") == text, "\(text.debugDescription)")
        }
    }
}
