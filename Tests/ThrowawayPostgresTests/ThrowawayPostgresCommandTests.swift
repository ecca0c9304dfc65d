import Foundation
import Subprocess
import Testing

#if canImport(System)
import System
#else
import SystemPackage
#endif

/// `throwaway-postgres -- COMMAND`, the built executable, as the Python package's check runs it.
// One at a time: each test starts a cluster, and initdb is heavy beside the rest of the suite.
@Suite("throwaway-postgres command", .serialized)
struct ThrowawayPostgresCommandTests {
    /// `throwaway-postgres`, next to the test binary in the build directory.
    static let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        .deletingLastPathComponent().appendingPathComponent("throwaway-postgres").path

    private func run(_ arguments: [String]) async throws -> (code: Int32, stdout: String, stderr: String) {
        let result = try await Subprocess.run(
            .path(FilePath(Self.executable)), arguments: Arguments(arguments), input: .none,
            output: .string(limit: 1 << 20), error: .string(limit: 1 << 20)
        )
        let code: Int32 = switch result.terminationStatus {
        case .exited(let code): code
        case .signaled(let signal): 128 + signal
        }
        return (code, result.standardOutput, result.standardError)
    }

    /// Whether something accepts TCP connections on the loopback port, asked through bash's /dev/tcp.
    private func listening(_ port: String) async throws -> Bool {
        let result = try await Subprocess.run(
            .name("bash"), arguments: ["-c", "exec 3<>/dev/tcp/127.0.0.1/\(port)"], output: .discarded, error: .discarded
        )
        return result.terminationStatus == .exited(0)
    }

    @Test("runs the command with DATABASE_URL set to a live cluster, exits with its status, and removes the cluster")
    func runsTheCommandAgainstALiveCluster() async throws {
        let script = #"port=${DATABASE_URL%/postgres}; port=${port##*:}; exec 3<>/dev/tcp/127.0.0.1/$port && echo "$DATABASE_URL"; exit 7"#
        let result = try await run(["--", "bash", "-c", script])
        #expect(result.code == 7)
        let url = result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let match = try #require(url.wholeMatch(of: /postgres:\/\/postgres@127\.0\.0\.1:(\d+)\/postgres/))
        #expect(result.stderr.contains("throwaway-postgres: DATABASE_URL=\(url)"))
        #expect(try await !listening(String(match.1)))
    }

    @Test("a command ended by a signal gives 128 + its number")
    func signalledCommand() async throws {
        #expect(try await run(["sh", "-c", "kill -TERM $$"]).code == 143)
    }

    @Test("a command that does not exist gives 127 and says so")
    func missingCommand() async throws {
        let result = try await run(["--", "no-such-command-here"])
        #expect(result.code == 127)
        #expect(result.stderr.contains("no-such-command-here: command not found or not executable"))
    }

    @Test("no command is a usage error")
    func noCommand() async throws {
        let result = try await run([])
        #expect(result.code == 64)
        #expect(result.stderr.contains("give the command to run"))
    }
}
