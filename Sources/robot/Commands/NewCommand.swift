import ArgumentParser
import Foundation
import MaintenanceRobot

struct NewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "new",
        abstract: "Append the next numbered step file, from a template that follows the idempotency rules.",
        discussion: """
            Examples:
              robot new "Add owner email to tenants (v1.1 Update)"
              robot new "Seed TikTok provider (v1.4 Update)" --critical --steps db/steps
            """
    )

    @Argument(help: "What the step does, in the house convention: \"Descriptive name (vX.Y Update)\".")
    var name: String

    @Option(name: .long, help: ArgumentHelp("The step directory; created when missing.", valueName: "dir"))
    var steps = "steps"

    @Flag(help: "Mark the step critical: its failure stops the boot.")
    var critical = false

    @Flag(help: "Run the step outside a transaction (for CREATE INDEX CONCURRENTLY and the like).")
    var noTransaction = false

    func validate() throws {
        if name.allSatisfy(\.isWhitespace) { throw ValidationError("the step needs a name, e.g. \"Add owner email (v1.1 Update)\"") }
        if name.contains(where: \.isNewline) { throw ValidationError("the step name must fit on one line") }
    }

    func run() throws {
        do {
            let file = try StepFileTemplate(name: name, isCritical: critical, runsInTransaction: !noTransaction)
                .write(into: steps)
            print(file)
        } catch {
            throw fail(error)
        }
    }
}
