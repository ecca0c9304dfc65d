import Foundation
import Subprocess
import Testing

#if canImport(System)
import System
#else
import SystemPackage
#endif

/// `robot import` end to end, through the built executable.
@Suite struct ImportCommandTests {
    struct Result {
        let code: Int32
        let stdout: String
        let stderr: String
    }

    /// `robot`, next to the test binary in the build directory.
    static let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        .deletingLastPathComponent().appendingPathComponent("robot").path

    /// Runs `robot` to its end, without holding a thread of the shared pool while it runs.
    private func robot(_ arguments: [String]) async throws -> Result {
        let result = try await Subprocess.run(
            .path(FilePath(Self.executable)), arguments: Arguments(arguments), output: .string(limit: 1 << 22), error: .string(limit: 1 << 22)
        )
        let code: Int32 = switch result.terminationStatus {
        case .exited(let code): code
        case .signaled(let signal): 128 + signal
        }
        return Result(code: code, stdout: result.standardOutput, stderr: result.standardError)
    }

    @Test func importsListsSkipsLintsAndSaysWhatIsNext() async throws {
        try await Fixtures.withScratchDirectory { scratch in
            let steps = scratch + "/steps"
            let result = try await robot(["import", Fixtures.service, "--steps", steps])
            #expect(result.code == 0, "\(result.stderr)")
            let lines = result.stdout.split(separator: "\n").map(String.init)
            #expect(lines.first == "\(steps)/0001_chat_tables.sql  ← \(Fixtures.service):27:9")
            #expect(lines.contains("\(steps)/0015_updated_at_trigger_function.sql  ← \(Fixtures.service):100:9 (indentation kept: dedenting would change a literal PostgreSQL keeps)"))
            #expect(lines.contains("skipped \(Fixtures.service):77:9: blank (the loop skipped it: if step.strip())"))
            #expect(lines.contains { $0.hasPrefix("\(steps)/0018_create_index_idx_chat_messages_created.sql:2:1: error[create-without-if-not-exists]") })
            // The service's every-boot indexes on its existing tables block writes while they build.
            #expect(lines.count { $0.contains("warning[index-without-concurrently]") } == 4)
            #expect(lines.contains("1 error, 5 warnings"))
            #expect(lines.last == "next: fix what lint reports, then robot lint \(steps) && robot verify \(steps)")
            #expect(try Fixtures.files(in: steps) == Fixtures.files(in: Fixtures.serviceExpected))
        }
    }

    @Test func refusesAnFStringWithExitTwoAndWritesNothing() async throws {
        try await Fixtures.withScratchDirectory { directory in
            let file = Fixtures.path("refusals/fstring.py")
            let result = try await robot(["import", file, "--steps", directory + "/steps"])
            #expect(result.code == 2)
            #expect(result.stdout.isEmpty)
            #expect(result.stderr.hasPrefix("robot: \(file):11:9: an f-string is built at run time"))
            #expect(!FileManager.default.fileExists(atPath: directory + "/steps"))
        }
    }

    @Test func aSecondImportAppendsAndLeavesTheFirstAlone() async throws {
        try await Fixtures.withScratchDirectory { scratch in
            let steps = scratch + "/steps"
            #expect(try await robot(["import", Fixtures.path("module-level/db.py"), "--list", "STARTUP_SQL", "--steps", steps]).code == 0)
            let first = try Fixtures.text(steps + "/0001_create_extension_pgcrypto.sql")
            let result = try await robot(["import", Fixtures.path("module-level/db.py"), "--list", "STARTUP_SQL", "--steps", steps])
            #expect(result.code == 0, "\(result.stderr)")
            #expect(try Fixtures.files(in: steps) == [
                "0001_create_extension_pgcrypto.sql", "0002_tenants.sql", "0003_add_column_plan_to_tenants.sql",
                "0004_create_extension_pgcrypto.sql", "0005_tenants.sql", "0006_add_column_plan_to_tenants.sql",
            ])
            #expect(try Fixtures.text(steps + "/0001_create_extension_pgcrypto.sql") == first)
            #expect(result.stdout.hasSuffix("no problems found\nnext: robot lint \(steps) && robot verify \(steps)\n"))
        }
    }
}
