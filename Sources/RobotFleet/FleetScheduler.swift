/// Runs work for a range of a fleet's targets, a bounded number at a time, in order.
enum FleetScheduler {
    /// Runs `work` for each index of `indices`, in order, at most `parallelism` at once. After each result,
    /// `keepGoing` (called on this task, one result at a time) says whether new indices may start; none starts once
    /// the task is cancelled, and the running ones see the cancellation.
    /// - Returns: each started index's result.
    static func run<Result: Sendable>(
        _ indices: Range<Int>, parallelism: Int, work: @escaping @Sendable (Int) async -> Result,
        keepGoing: (Int, Result) -> Bool
    ) async -> [Int: Result] {
        await withTaskGroup(of: (Int, Result).self) { group in
            var next = indices.lowerBound
            var starting = true
            var results: [Int: Result] = [:]
            while starting {
                while starting, next < indices.upperBound, next - indices.lowerBound - results.count < parallelism, !Task.isCancelled {
                    let index = next
                    group.addTask { (index, await work(index)) }
                    next += 1
                }
                guard let (index, result) = await group.next() else { break }
                results[index] = result
                starting = keepGoing(index, result) && !Task.isCancelled
            }
            // Scheduling stopped: the targets already running finish (cancelled ones stop before their next step).
            for await (index, result) in group {
                results[index] = result
                _ = keepGoing(index, result)
            }
            return results
        }
    }
}
