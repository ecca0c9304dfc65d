import Foundation

extension Array where Element: Sendable {
    /// `map(transform)` spread over the machine's cores, in order: loading a catalogue lexes hundreds of
    /// independent files. Blocks the calling thread until every element is transformed.
    func concurrentMap<Transformed: Sendable>(_ transform: @Sendable (Element) -> Transformed) -> [Transformed] {
        let chunkCount = Swift.min(count, 4 * ProcessInfo.processInfo.activeProcessorCount)
        guard chunkCount > 1 else { return map(transform) }
        let slots = Slots<Transformed>(count: count)
        let elements = self
        DispatchQueue.concurrentPerform(iterations: chunkCount) { chunk in
            for index in stride(from: chunk, to: elements.count, by: chunkCount) {
                slots.store(transform(elements[index]), at: index)
            }
        }
        return slots.values()
    }
}

/// One result slot per element, each written by exactly one iteration of `concurrentPerform` and read only
/// after it returns: no two threads touch the same slot, hence `@unchecked Sendable`.
private final class Slots<Value>: @unchecked Sendable {
    private let base: UnsafeMutablePointer<Value?>
    private let count: Int

    init(count: Int) {
        self.count = count
        base = .allocate(capacity: count)
        base.initialize(repeating: nil, count: count)
    }

    deinit {
        base.deinitialize(count: count)
        base.deallocate()
    }

    func store(_ value: Value, at index: Int) {
        base[index] = value
    }

    func values() -> [Value] {
        (0..<count).map { base[$0]! }
    }
}
