import MaintenanceRobot

/// The robot's report from this boot, kept for `/health`.
actor BootReport {
    private var report: RunReport?

    func record(_ report: RunReport) {
        self.report = report
    }

    /// The report in brief. Before the robot has finished (the server does not accept requests then)
    /// the outcome is `starting`.
    var summary: RobotSummary {
        guard let report else {
            return RobotSummary(outcome: "starting", applied: 0, skipped: 0, failed: 0, failedSteps: [])
        }
        return RobotSummary(
            outcome: report.outcome.rawValue,
            applied: report.count(.applied) + report.count(.healed),
            skipped: report.count(.skipped),
            failed: report.count(.failed),
            failedSteps: report.failedSteps.map(\.name))
    }
}
