import Foundation
import MaintenanceRobot
import Subprocess

/// The catalogue as it stood in an earlier revision, for the upgrade-from-an-older-catalogue scenario.
public enum OlderCatalogue {
    /// How long each `git` command may take.
    static let gitTimeout = Duration.seconds(30)

    /// Loads the step directory `directory` as it was at git revision `revision` (`v1.2`, `HEAD~3`, a hash):
    /// the step files are read with `git show REV:./<file>` into a temporary directory, loaded and validated.
    public static func fromGit(revision: String, directory: String) async throws(VerifyError) -> Catalogue {
        let source = "\(directory) at git \(revision)"
        guard !revision.hasPrefix("-") else { throw .olderCatalogue(source: source, reason: "a revision cannot start with '-'") }
        let listing = try await git(["ls-tree", "--name-only", revision, "--", "."], in: directory, source: source)
        let names = listing.split(separator: "\n").map(String.init).filter { StepDirectory.FileName($0) != nil }
        guard !names.isEmpty else { throw .olderCatalogue(source: source, reason: "no NNNN_slug.sql step file there at that revision") }
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("robot-verify-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: copy) }
        do {
            try FileManager.default.createDirectory(atPath: copy, withIntermediateDirectories: true)
            for name in names {
                let text = try await git(["show", "\(revision):./\(name)"], in: directory, source: source)
                try Data(text.utf8).write(to: URL(fileURLWithPath: copy).appendingPathComponent(name))
            }
        } catch let error as VerifyError {
            throw error
        } catch {
            throw .olderCatalogue(source: source, reason: "could not write the step files to \(copy): \(error.localizedDescription)")
        }
        return try fromDirectory(copy, label: source)
    }

    /// Loads an older copy of the step directory.
    public static func fromDirectory(_ path: String, label: String? = nil) throws(VerifyError) -> Catalogue {
        do {
            return try StepDirectory.load(path)
        } catch {
            throw .olderCatalogue(source: label ?? path, reason: "\(error)")
        }
    }

    /// Runs `git -C directory arguments…`, bounded by ``gitTimeout``, and returns its standard output.
    private static func git(_ arguments: [String], in directory: String, source: String) async throws(VerifyError) -> String {
        let command = "git " + arguments.joined(separator: " ")
        typealias Outcome = Result<(succeeded: Bool, output: String, error: String), any Error>
        let outcome: Outcome = await withTaskGroup(of: Outcome?.self) { group in
            group.addTask {
                do {
                    let result = try await run(.name("git"), arguments: Arguments(["-C", directory] + arguments),
                                               output: .string(limit: 16 << 20), error: .string(limit: 64 << 10))
                    return .success((result.terminationStatus.isSuccess, result.standardOutput, result.standardError))
                } catch {
                    return .failure(error)
                }
            }
            group.addTask {
                try? await Task.sleep(for: gitTimeout)
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first ?? .failure(GitTimedOut())
        }
        switch outcome {
        case .success(let record) where record.succeeded:
            return record.output
        case .success(let record):
            throw .olderCatalogue(source: source, reason: "\(command) failed: \(record.error.trimmingCharacters(in: .whitespacesAndNewlines))")
        case .failure(let error as GitTimedOut):
            throw .olderCatalogue(source: source, reason: "\(command) \(error)")
        case .failure(let error):
            throw .olderCatalogue(source: source, reason: "\(command) could not run: \(error). Is git installed?")
        }
    }

    private struct GitTimedOut: Error, CustomStringConvertible {
        var description: String { "did not finish within \(OlderCatalogue.gitTimeout)" }
    }
}
