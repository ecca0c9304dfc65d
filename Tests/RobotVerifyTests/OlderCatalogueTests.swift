import Foundation
import MaintenanceRobot
import RobotVerify
import Subprocess
import Testing

/// `--from-git`: the step directory as it stood at a revision of a real (temporary) git repository.
@Suite struct OlderCatalogueTests {
    /// A repository whose first commit holds `wrong-type-alter/old` in `db/steps` and whose work tree holds `current`.
    static func repository() async throws -> (root: String, steps: String) {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("verify-git-\(UUID().uuidString)").path
        let steps = root + "/db/steps"
        try FileManager.default.createDirectory(atPath: steps, withIntermediateDirectories: true)
        try copyFixture("wrong-type-alter/old", to: steps)
        for arguments in [["init", "-q"], ["add", "."], ["-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", "v1"]] {
            let result = try await run(.name("git"), arguments: Arguments(["-C", root] + arguments), output: .discarded, error: .string(limit: 4096))
            #expect(result.terminationStatus.isSuccess, "git \(arguments): \(result.standardError)")
        }
        try copyFixture("wrong-type-alter/current", to: steps)
        return (root, steps)
    }

    static func copyFixture(_ name: String, to directory: String) throws {
        let source = VerifierTests.fixtures + "/" + name
        for file in try FileManager.default.contentsOfDirectory(atPath: source) {
            let target = directory + "/" + file
            try? FileManager.default.removeItem(atPath: target)
            try FileManager.default.copyItem(atPath: source + "/" + file, toPath: target)
        }
    }

    @Test func readsTheStepFilesAsTheyWereAtTheRevision() async throws {
        let repository = try await Self.repository()
        defer { try? FileManager.default.removeItem(atPath: repository.root) }
        let older = try await OlderCatalogue.fromGit(revision: "HEAD", directory: repository.steps)
        let oldFixture = try StepDirectory.load(VerifierTests.fixtures + "/wrong-type-alter/old")
        #expect(older.steps.map(\.id) == ["0001_create_tenants"])
        #expect(older.steps.map(\.checksum) == oldFixture.steps.map(\.checksum))
        #expect(try StepDirectory.load(repository.steps).steps.count == 2)
    }

    @Test func anUnknownRevisionSaysWhatGitSaid() async throws {
        let repository = try await Self.repository()
        defer { try? FileManager.default.removeItem(atPath: repository.root) }
        let error = await #expect(throws: VerifyError.self) {
            try await OlderCatalogue.fromGit(revision: "no-such-tag", directory: repository.steps)
        }
        #expect(error?.description.contains("the older catalogue \(repository.steps) at git no-such-tag could not be read: git ls-tree --name-only no-such-tag -- . failed: fatal:") == true)
    }
}
