import Dispatch
@testable import MaintenanceRobot
import Testing

/// A step directory read in the background: the same declaration as a reading in place, for every waiter,
/// and read by the caller when the background reading does not finish in time.
@Suite(.timeLimit(.minutes(1))) struct StepDirectoryReadingTests {
    @Test func theBackgroundReadingDeclaresWhatTheDirectoryDoes() async throws {
        let path = Fixtures.catalogue("valid")
        let direct = try StepDirectory.declaration(in: path)
        let reading = StepDirectory.Reading(path)
        async let first = reading.declaration()
        async let second = reading.declaration()
        let (one, two) = try await (first, second)
        #expect(one.digest == direct.digest)
        #expect(two.digest == direct.digest)
        #expect(one.steps.map(\.name) == direct.steps.map(\.name))
        // A waiter that comes after the reading finished gets the same.
        #expect(try await reading.declaration().digest == direct.digest)
    }

    @Test func aBrokenDirectoryIsReportedAsByAReadingInPlace() async {
        for name in ["gap", "duplicate", "not-utf8", "no-such-directory"] {
            let path = Fixtures.catalogue(name)
            let direct = #expect(throws: CatalogueError.self) { try StepDirectory.declaration(in: path) }
            let background = await #expect(throws: CatalogueError.self) { try await StepDirectory.Reading(path).declaration() }
            #expect(background?.description == direct?.description, "\(name)")
        }
    }

    @Test func aReadingThatDoesNotFinishInTimeIsReadByTheCaller() async throws {
        let path = Fixtures.catalogue("valid")
        let held = DispatchSemaphore(value: 0)
        let reading = StepDirectory.Reading(path, patience: .milliseconds(20)) { path throws(CatalogueError) in
            held.wait()
            return try StepDirectory.declaration(in: path)
        }
        let started = ContinuousClock.now
        let declaration = try await reading.declaration()
        #expect(ContinuousClock.now - started < .seconds(5))
        #expect(declaration.digest == (try StepDirectory.declaration(in: path)).digest)
        held.signal()
        #expect(try await reading.declaration().digest == declaration.digest)
    }
}
