import MaintenanceRobot

/// Why the service did not start. The executable prints it (with the robot's report) and exits non-zero.
public enum OrchestratorBootError: Error, Sendable, CustomStringConvertible {
    /// The compiled-in catalogue is broken: a step is empty, unnamed, repeated or does not lex.
    case catalogue(CatalogueError)
    /// The robot could not prepare the database: a critical step failed (the report is inside), the
    /// database did not answer, or another robot held the lock too long.
    case robot(RobotError)

    /// The robot's report, when a critical step stopped the run.
    public var report: RunReport? {
        if case .robot(.criticalStepFailed(let report)) = self { return report }
        return nil
    }

    public var description: String {
        switch self {
        case .catalogue(let error): "the service's step catalogue is broken, nothing ran: \(error)"
        case .robot(let error): "the database could not be prepared, so the service does not start: \(error)"
        }
    }
}
