import Foundation
import Logging
import MaintenanceRobot
import OrchestratorService

/// `orchestrator`: the example service. Reads its configuration from the environment (see
/// docs/example-service.md), prepares the database with its compiled-in steps, then serves the API.
///
/// Exit status 0 after a graceful shutdown (SIGTERM, SIGINT); 1 when the configuration is unusable
/// or the database could not be prepared (a critical step failed: the robot's report is printed).
@main
struct OrchestratorMain {
    static func main() async {
        let environment = ProcessInfo.processInfo.environment
        LoggingSystem.bootstrap { StreamLogHandler.standardError(label: $0) }
        var logger = Logger(label: "orchestrator")
        logger.logLevel = environment["LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .notice
        do {
            let configuration = try OrchestratorConfiguration.fromEnvironment(environment)
            let steps = try OrchestratorSteps.all + TestHook.extraSteps(environment)
            let app = try OrchestratorApplication.make(configuration: configuration, steps: steps, logger: logger) { port in
                // One line on standard output that scripts (and the tests) wait for.
                FileHandle.standardOutput.write(Data("orchestrator listening on \(configuration.host):\(port)\n".utf8))
            }
            try await app.runService()
        } catch let error as OrchestratorBootError {
            if let report = error.report { print(TextReportRenderer.render(report)) }
            logger.critical("\(error)")
            exit(1)
        } catch {
            logger.critical("the orchestrator stopped: \(error)")
            exit(1)
        }
    }
}

/// A test hook, documented in docs/example-service.md: `ORCHESTRATOR_APPEND_FAILING_STEP=critical`
/// (or `soft`) appends one step that always fails, to show a broken deploy in a real process.
enum TestHook {
    struct UnknownValue: Error, CustomStringConvertible {
        let value: String
        var description: String {
            "ORCHESTRATOR_APPEND_FAILING_STEP: \"\(value)\" is neither critical nor soft. Unset it: it is a test hook."
        }
    }

    static func extraSteps(_ environment: [String: String]) throws(UnknownValue) -> [Step] {
        guard let value = environment["ORCHESTRATOR_APPEND_FAILING_STEP"], !value.isEmpty else { return [] }
        guard value == "critical" || value == "soft" else { throw UnknownValue(value: value) }
        return [Step("Deliberately failing \(value) step (test hook)", critical: value == "critical", sql: """
            DO $$ BEGIN RAISE EXCEPTION 'deliberate failure from ORCHESTRATOR_APPEND_FAILING_STEP'; END $$;
            """)]
    }
}
