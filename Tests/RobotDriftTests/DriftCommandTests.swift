import Foundation
import MaintenanceRobot
import RobotDrift
import RobotTestSupport
import ThrowawayPostgres
import Testing
@testable import robot

/// The exit statuses of `robot drift` beyond 0 and 1, and no password in anything it says.
@Suite struct DriftCommandTests {
    static let password = "pa55-word-never-shown"

    @Test func aCatalogueWhoseFreshInstallFailsExitsTwo() async throws {
        let live = try await TestCluster.freshDatabase()
        let arguments = [DriftFixtures.directory + "/broken", "--database-url", live.description, "--scratch-url", try await DriftFixtures.scratchURL()]
        await #expect { try await DriftCommand.parse(arguments + ["--log-level", "critical"]).run() } throws: { ($0 as? robot.ExitStatus)?.code == 2 }
        let error = await #expect(throws: DriftError.self) { try await DriftFixtures.check("broken", on: live) }
        #expect(error?.description.hasPrefix("the catalogue's fresh install failed, so there is nothing sound to compare with (run robot verify):\n  step 2 ") == true)
    }

    @Test func anUnreachableLiveDatabaseExitsThreeWithoutItsPassword() async throws {
        let port = try ThrowawayCluster.freePort()
        let url = "postgres://app:\(Self.password)@127.0.0.1:\(port)/app?sslmode=disable"
        let scratch = try await DriftFixtures.scratchURL()
        let arguments = [DriftFixtures.directory + "/seeded", "--database-url", url, "--scratch-url", scratch, "--connect-timeout", "1", "--log-level", "critical"]
        await #expect { try await DriftCommand.parse(arguments).run() } throws: { ($0 as? robot.ExitStatus)?.code == 3 }
        var settings = try ConnectionSettings(url: url)
        settings.password = Self.password
        let error = await #expect(throws: DriftError.self) {
            try await DriftFixtures.check("seeded", on: settings) { $0.robotConfiguration.connectTimeout = .seconds(1) }
        }
        #expect(error?.isLiveDatabaseUnavailable == true)
        #expect(error.map { describe($0).contains(Self.password) } == false)
        #expect(error.map { describe($0).hasSuffix("(--connect-timeout SECONDS)") } == true)
    }

    @Test func theReportNamesTheLiveDatabaseWithoutItsPassword() async throws {
        var live = try await DriftFixtures.live("seeded")
        live.password = Self.password
        try await DriftFixtures.execute(["DROP INDEX credential_types_provider_idx"], on: live)
        let report = try await DriftFixtures.check("seeded", on: live)
        #expect(report.hasDrift)
        #expect(report.live == live.description)
        #expect(!DriftTextRenderer.render(report).contains(Self.password))
        #expect(!String(decoding: report.jsonData(), as: UTF8.self).contains(Self.password))
    }
}
