import ArgumentParser
import Foundation
import MaintenanceRobot
import RobotLint

struct LintCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lint",
        abstract: "Prove the catalogue idempotent statically, before anything reaches a database.",
        discussion: """
            Reports every statement that breaks on a second run (errors), is dangerous on every boot, or blocks traffic on a table that is already there (warnings naming the lock PostgreSQL takes), with the form to write instead; docs/lint-rules.md lists the rules. Suppress a deliberate exception with a comment on the statement: -- robot:allow RULE-ID reason

            With a lock file (default: .robot.lock in the step directory) applied steps that were edited, removed or moved are errors; --update-lock appends the new steps to it.

            Exit status: 0 no errors, 1 errors (or warnings with --warnings-as-errors), 2 bad usage or a catalogue or lock file that cannot be read.

            Examples:
              robot lint db/steps               # the same as --steps db/steps
              robot lint --format sarif > robot-lint.sarif
              robot lint --update-lock
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json, sarif
    }

    @OptionGroup var stepDirectory: StepDirectoryOption

    /// The step directory.
    var steps: String { stepDirectory.path }

    @Option(name: .long, help: "Output format: text, json or sarif.")
    var format = Format.text

    @Flag(help: "Fail (status 1) on warnings too.")
    var warningsAsErrors = false

    @Flag(help: "Write the lock file for the current catalogue, after checking that no applied step changed.")
    var updateLock = false

    @Option(name: .long, help: ArgumentHelp("The lock file of applied steps' checksums. Default: <steps>/.robot.lock", valueName: "file"))
    var lock: String?

    func run() throws {
        let lockPath = lock ?? (steps as NSString).appendingPathComponent(".robot.lock")
        let lockFile = try readLock(lockPath)
        let diagnostics: [Diagnostic]
        do {
            diagnostics = try Linter().lint(directory: steps, lock: lockFile)
        } catch {
            throw fail(error)
        }
        try show(diagnostics)
        let hasErrors = diagnostics.contains { $0.severity == .error || warningsAsErrors }
        if updateLock { try writeLock(lockPath, refusingWhen: diagnostics) }
        if hasErrors { throw ExitStatus.stepFailed }
    }

    /// The lock file, or nil when there is none yet (and none was named).
    private func readLock(_ path: String) throws(ExitStatus) -> LockFile? {
        guard lock != nil || FileManager.default.fileExists(atPath: path) else { return nil }
        if updateLock, !FileManager.default.fileExists(atPath: path) { return nil }
        do {
            return try LockFile.read(path)
        } catch {
            printError("\(error)")
            throw ExitStatus.usage
        }
    }

    private func writeLock(_ path: String, refusingWhen diagnostics: [Diagnostic]) throws(ExitStatus) {
        let drift: Set<String> = [Rule.appliedStepEdited.id, Rule.appliedStepRemoved.id, Rule.appliedStepReordered.id, Rule.lexingError.id]
        guard !diagnostics.contains(where: { drift.contains($0.ruleID) }) else {
            printError("\(path) not updated: applied steps changed (or a step cannot be read); restore them first, history is append-only")
            throw ExitStatus.stepFailed
        }
        do {
            try LockFile(catalogue: StepDirectory.load(steps)).write(to: path)
        } catch let error as CatalogueError {
            throw fail(error)
        } catch {
            printError("\(error)")
            throw ExitStatus.usage
        }
        printError("wrote \(path)")
    }

    private func show(_ diagnostics: [Diagnostic]) throws {
        switch format {
        case .text: print(TextRenderer.render(diagnostics))
        case .json: FileHandle.standardOutput.write(JSONRenderer.render(diagnostics) + Data("\n".utf8))
        case .sarif: FileHandle.standardOutput.write(SARIFRenderer.render(diagnostics) + Data("\n".utf8))
        }
    }
}
