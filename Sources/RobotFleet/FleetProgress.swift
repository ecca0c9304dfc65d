/// Where a fleet run stands, after one more target finished.
public struct FleetProgress: Sendable {
    /// The target that just finished.
    public var target: FleetReport.Target
    /// How many targets the fleet has.
    public var total: Int
    /// How many have finished, with any outcome.
    public var finished: Int
    /// How many of those failed (``FleetReport/Outcome/isFailure``).
    public var failed: Int
    /// The time since the fleet started.
    public var elapsed: Duration

    /// How many targets have not finished yet.
    public var left: Int { total - finished }

    /// Targets finished per second so far.
    public var rate: Double {
        let seconds = elapsed / .seconds(1)
        return seconds > 0 ? Double(finished) / seconds : 0
    }

    /// The time the targets left take at the rate so far; `nil` before there is a rate.
    public var estimatedTimeLeft: Duration? {
        rate > 0 ? .seconds(Double(left) / rate) : nil
    }

    /// Counts finished targets as a fleet run goes.
    struct Tracker {
        let total: Int
        let started: ContinuousClock.Instant
        private var finished = 0
        private var failed = 0

        init(total: Int, started: ContinuousClock.Instant) {
            self.total = total
            self.started = started
        }

        mutating func finished(_ target: FleetReport.Target, at now: ContinuousClock.Instant) -> FleetProgress {
            finished += 1
            if target.outcome.isFailure { failed += 1 }
            return FleetProgress(target: target, total: total, finished: finished, failed: failed, elapsed: now - started)
        }
    }
}
