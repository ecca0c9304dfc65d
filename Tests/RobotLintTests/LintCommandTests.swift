import Foundation
import Subprocess
import Testing

/// `robot lint` and `robot run --lint` as a user runs them.
@Suite(.timeLimit(.minutes(1))) struct LintCommandTests {
    struct Outcome {
        let status: TerminationStatus
        let stdout: String
        let stderr: String
    }

    /// `robot` next to the test bundle in the build directory.
    static let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        .deletingLastPathComponent().appendingPathComponent("robot").path

    /// Runs `robot`; the database variables point at a port nothing listens on, so nothing can connect.
    func robot(_ arguments: [String]) async throws -> Outcome {
        let environment = Environment.inherit.updating(["DATABASE_URL": "postgres://nobody@127.0.0.1:1/none", "PGPASSWORD": nil])
        let result = try await run(
            .path(.init(Self.executable)), arguments: Arguments(arguments), environment: environment,
            output: .string(limit: 1 << 20), error: .string(limit: 1 << 20)
        )
        return Outcome(status: result.terminationStatus, stdout: result.standardOutput, stderr: result.standardError)
    }

    @Test func exitStatusesAreTheDocumentedOnes() async throws {
        let dirty = try await robot(["lint", "--steps", Fixtures.path("realworld/dirty")])
        #expect(dirty.status == .exited(1))
        #expect(dirty.stdout.contains("0002_repair.sql:14:5: error[insert-without-on-conflict]: "))
        #expect(dirty.stdout.contains("\n    hint: write INSERT … ON CONFLICT (key) DO NOTHING"))
        #expect(try await robot(["lint", "--steps", Fixtures.path("realworld/clean")]).status == .exited(0))
        let warningsOnly = Fixtures.path("rules/truncate/bad")
        #expect(try await robot(["lint", "--steps", warningsOnly]).status == .exited(0))
        #expect(try await robot(["lint", "--steps", warningsOnly, "--warnings-as-errors"]).status == .exited(1))
        #expect(try await robot(["lint", "--steps", "/nonexistent/steps"]).status == .exited(2))
        #expect(try await robot(["lint", "--format", "xml"]).status == .exited(2))
    }

    @Test func sarifOutputIsSARIF() async throws {
        let outcome = try await robot(["lint", "--steps", Fixtures.path("realworld/dirty"), "--format", "sarif"])
        let log = try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [String: Any]
        #expect(log?["version"] as? String == "2.1.0")
        #expect(((log?["runs"] as? [[String: Any]])?.first?["results"] as? [Any])?.count == 8)
    }

    @Test func runWithLintRefusesACatalogueWithErrorsBeforeConnecting() async throws {
        let outcome = try await robot(["run", "--lint", "--steps", Fixtures.path("realworld/dirty"), "--connect-timeout", "1"])
        #expect(outcome.status == .exited(2))
        #expect(outcome.stderr.contains("error[create-without-if-not-exists]"))
        #expect(outcome.stderr.contains("nothing ran"))
    }

    @Test func updateLockRecordsAppliedStepsAndRefusesToBlessAnEdit() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("robot-lint-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let step = (directory as NSString).appendingPathComponent("0001_create_a.sql")
        try "CREATE TABLE IF NOT EXISTS a (id int);\n".write(toFile: step, atomically: true, encoding: .utf8)
        #expect(try await robot(["lint", "--steps", directory, "--update-lock"]).status == .exited(0))
        #expect(FileManager.default.fileExists(atPath: (directory as NSString).appendingPathComponent(".robot.lock")))
        try "-- only a comment changed\nCREATE TABLE IF NOT EXISTS a (id int);\n".write(toFile: step, atomically: true, encoding: .utf8)
        #expect(try await robot(["lint", "--steps", directory]).status == .exited(0))
        try "CREATE TABLE IF NOT EXISTS a (id bigint);\n".write(toFile: step, atomically: true, encoding: .utf8)
        let edited = try await robot(["lint", "--steps", directory])
        #expect(edited.status == .exited(1))
        #expect(edited.stdout.contains("0001_create_a.sql:1:1: error[applied-step-edited]"))
        let refused = try await robot(["lint", "--steps", directory, "--update-lock"])
        #expect(refused.status == .exited(1))
        #expect(refused.stderr.contains("not updated"))
    }
}
