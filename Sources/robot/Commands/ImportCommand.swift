import ArgumentParser
import Foundation
import MaintenanceRobot
import RobotImport
import RobotLint

struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Turn a Python service's every-boot list of SQL strings into numbered step files.",
        discussion: """
            Reads the list literal assigned to --list (default: migration_steps) anywhere in FILE, also inside a function, without running Python. Each element becomes the next NNNN_slug.sql of the step directory, in order: named after the comment line directly above it (its numbering left out), else after what its first statement does; its SQL is the string's value, dedented, and otherwise byte for byte. Blank elements are skipped, as `if step.strip()` skipped them. An existing step directory is appended to, never overwritten. Then the new steps are linted; fix what the linter reports before the first run.

            Anything that is not a string literal (an f-string, % or .format, a name, a call, a comprehension, + with a variable) is refused with FILE:line:col, and nothing is written.

            Exit status: 0 imported (lint findings are printed, for you to fix next), 2 refused or bad usage: nothing written.

            Examples:
              robot import app/main.py --steps db/steps
              robot import app/db.py --list STARTUP_SQL --steps db/steps
            """
    )

    @Argument(help: ArgumentHelp("The Python module that holds the list.", valueName: "file.py"))
    var file: String

    @Option(name: .long, help: ArgumentHelp("The name the list literal is assigned to.", valueName: "name"))
    var list = StepListImport.defaultListName

    @Option(name: .long, help: ArgumentHelp("The step directory; created when missing, appended to when it has steps.", valueName: "dir"))
    var steps = "steps"

    func validate() throws {
        if list.isEmpty || list.contains(where: { !($0.isLetter || $0.isNumber || $0 == "_") }) {
            throw ValidationError("--list takes a Python name, such as migration_steps")
        }
    }

    func run() throws {
        let written: [WrittenStep]
        let imported: StepListImport
        do {
            imported = try StepListImport.read(file, listName: list)
            written = try imported.write(into: steps)
        } catch {
            printError("\(error)")
            throw ExitStatus.usage
        }
        for step in written { print(line(for: step)) }
        for element in imported.skipped { print("skipped \(file):\(element.location): \(element.reason)") }
        let errors = lint(written.map(\.path))
        let directory = Self.shellWord(steps)
        print(errors == 0
            ? "next: robot lint \(directory) && robot verify \(directory)"
            : "next: fix what lint reports, then robot lint \(directory) && robot verify \(directory)")
    }

    /// `db/steps/0003_add_column_locale_to_users.sql  ← app/main.py:57:9`, and why it kept its indentation.
    private func line(for written: WrittenStep) -> String {
        var line = "\(written.path)  ← \(file):\(written.step.location)"
        if written.step.keepsIndentation { line += " (indentation kept: dedenting would change a literal PostgreSQL keeps)" }
        return line
    }

    /// Prints the linter's findings on the new steps; returns how many are errors.
    private func lint(_ paths: [String]) -> Int {
        let diagnostics: [Diagnostic]
        do {
            diagnostics = try Linter().lint(directory: steps)
        } catch {
            printError("\(error)")
            return 1
        }
        let new = Set(paths)
        let findings = diagnostics.filter { new.contains($0.file) }
        print(TextRenderer.render(findings))
        return findings.count { $0.severity == .error }
    }

    /// `db/steps`, or `'my steps'` when the shell would split or expand it.
    private static func shellWord(_ text: String) -> String {
        let plain = text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "/._-+:@,=".contains($0)) }
        return plain && !text.isEmpty ? text : "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
