import Foundation
import Subprocess

#if canImport(System)
import System
#else
import SystemPackage
#endif

/// One run of an external tool whose output goes to a file and whose wait is bounded.
///
/// The output goes to a file, never to a pipe: the postmaster that `pg_ctl start` leaves running would inherit
/// the pipe, so reading it to its end would never end. Subprocess closes every other descriptor in the child.
struct Command {
    let arguments: [String]
    let workingDirectory: String
    let outputFile: String

    /// How the tool ended.
    struct Outcome {
        let status: Int32
        let output: String

        var succeeded: Bool { status == 0 }
    }

    /// Runs the tool, waiting at most `bound`; a tool still running then, or when the task is cancelled, is
    /// killed and `.timedOut` or `.cancelled` thrown.
    func run(within bound: Duration) async throws(ThrowawayClusterError) -> Outcome {
        do {
            // The first child to finish wins; leaving the group cancels the other, and Subprocess kills a
            // cancelled child before returning.
            let status = try await withThrowingTaskGroup { group in
                group.addTask { try await exitStatus() }
                group.addTask { try await Task.sleep(for: bound); return nil }
                defer { group.cancelAll() }
                return try await group.next() ?? nil
            }
            try Task.checkCancellation()
            guard let status else { throw timedOut(bound) }
            return Outcome(status: status, output: tail(ofFile: outputFile) ?? "")
        } catch let error as ThrowawayClusterError {
            throw error
        } catch where Task.isCancelled {
            throw ThrowawayClusterError(code: .cancelled, message: "Starting the cluster was cancelled.", remedy: "Nothing to do.")
        } catch {
            throw ThrowawayClusterError(
                code: .fileSystem, message: "Could not start \(displayName): \(error).",
                remedy: "Check that \(arguments[0]) is executable, that TMPDIR is writable and that the process limit is not reached."
            )
        }
    }

    /// Runs the tool to its end with stdin from /dev/null and stdout and stderr to `outputFile`; its exit
    /// status, or 128 + the signal number that ended it.
    private func exitStatus() async throws -> Int32? {
        let output = try FileDescriptor.open(
            outputFile, .writeOnly, options: [.create, .truncate, .closeOnExec], permissions: [.ownerReadWrite, .groupRead, .otherRead]
        )
        let result = try await Subprocess.run(
            .path(FilePath(arguments[0])), arguments: Arguments(Array(arguments.dropFirst())),
            workingDirectory: FilePath(workingDirectory),
            input: .none, output: .fileDescriptor(output, closeAfterSpawningProcess: true), error: .combinedWithOutput
        )
        switch result.terminationStatus {
        case .exited(let code): return code
        case .signaled(let signal): return 128 + signal
        }
    }

    private func timedOut(_ bound: Duration) -> ThrowawayClusterError {
        ThrowawayClusterError(
            code: .timedOut,
            message: "\(displayName) did not finish within \(bound) and was killed.",
            remedy: "The machine may be overloaded; raise Options.startTimeout.",
            outputTail: tail(ofFile: outputFile)
        )
    }

    /// The tool's name, without the `setpriv` or `runuser` prefix.
    private var displayName: String {
        arguments.first { $0.hasSuffix("/initdb") || $0.hasSuffix("/pg_ctl") || $0.hasSuffix("/pgbouncer") }.map { URL(fileURLWithPath: $0).lastPathComponent } ?? arguments[0]
    }
}

/// The last `lineCount` lines of a text file, or `nil` when it cannot be read or is empty.
func tail(ofFile path: String, lineCount: Int = 25) -> String? {
    guard let data = FileManager.default.contents(atPath: path), !data.isEmpty else { return nil }
    let lines = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
    return lines.suffix(lineCount + 1).joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
}
