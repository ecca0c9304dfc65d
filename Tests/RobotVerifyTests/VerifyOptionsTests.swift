import Foundation
import MaintenanceRobot
import RobotTestSupport
import RobotVerify
import Testing
@testable import robot

/// Checkpoint choice, object attribution and the `robot verify` command's exit statuses.
@Suite struct VerifyOptionsTests {
    static let catalogue: [Step] = [
        Step("Create tenants (v1.0 Update)", sql: "CREATE TABLE IF NOT EXISTS tenants (id bigserial PRIMARY KEY);"),
        Step("Create plans (v1.0 Update)", sql: "CREATE TABLE IF NOT EXISTS plans (id bigserial PRIMARY KEY);"),
        Step("Add owner email (v1.1 Update)", sql: "ALTER TABLE tenants ADD COLUMN IF NOT EXISTS owner_email text;"),
        Step("Add a note", sql: "DO $$ BEGIN ALTER TABLE plans ADD COLUMN note text; EXCEPTION WHEN duplicate_column THEN NULL; END $$;"),
    ]

    static func positions(_ checkpoints: VerifyOptions.Checkpoints) throws -> [Int] {
        var options = VerifyOptions()
        options.checkpoints = checkpoints
        return try Verifier(steps: catalogue, options: options).checkpointPositions()
    }

    @Test func checkpointsDefaultToTheLastStepOfEachVersionTag() throws {
        #expect(try Self.positions(.versionTags) == [2, 3])
        #expect(try Self.positions(.every) == [1, 2, 3, 4])
        #expect(try Self.positions(.none) == [])
        #expect(try Self.positions(.list(["v1.1", "1", "2", "v1.0"])) == [1, 2, 3])
    }

    @Test func anUnknownCheckpointNamesWhatExists() {
        #expect(throws: VerifyError.self) { try Self.positions(.list(["v2.0"])) }
        let error = #expect(throws: VerifyError.self) { try Self.positions(.list(["9"])) }
        #expect(error?.description == "checkpoint '9' is neither a step position (1…4) nor a version tag of the catalogue (v1.0, v1.1); use positions, tags, 'tags' or 'all'")
    }

    @Test func commandExitsOneWhenAScenarioFailsAndZeroWhenProven() async throws {
        let url = try await TestCluster.cluster().url(database: "postgres")
        let failing = try VerifyCommand.parse(["--steps", VerifierTests.fixtures + "/unguarded-enum-value", "--database-url", url, "--json"])
        await #expect { try await failing.run() } throws: { ($0 as? robot.ExitStatus)?.code == 1 }
        let passing = try VerifyCommand.parse(["--steps", VerifierTests.fixtures + "/house-style", "--database-url", url, "--checkpoints", "v1.1"])
        try await passing.run()
    }

    @Test func commandExitsTwoForAnUnknownCheckpointAndRefusesTwoOlderCatalogues() async throws {
        let unknown = try VerifyCommand.parse(["--steps", VerifierTests.fixtures + "/house-style", "--checkpoints", "v9"])
        await #expect { try await unknown.run() } throws: { ($0 as? robot.ExitStatus)?.code == 2 }
        let both = ["--steps", VerifierTests.fixtures + "/house-style", "--from", "a", "--from-git", "b"]
        #expect(throws: (any Error).self) { try VerifyCommand.parse(both) }
    }
}
