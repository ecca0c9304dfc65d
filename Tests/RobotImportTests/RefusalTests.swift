import Foundation
import RobotImport
import Testing

/// Whatever is not a string literal is refused with its place and what to do, and nothing is written.
@Suite struct RefusalTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let fixture: String
        let problem: ImportError.Problem
        let line: Int
        let column: Int

        var testDescription: String { fixture }
    }

    static let cases: [Case] = [
        Case(fixture: "fstring.py", problem: .notALiteral(.fString), line: 11, column: 9),
        Case(fixture: "plus-variable.py", problem: .notALiteral(.concatenation(operand: "TABLE")), line: 5, column: 50),
        Case(fixture: "format.py", problem: .notALiteral(.formatMethod), line: 2, column: 58),
        Case(fixture: "percent.py", problem: .notALiteral(.percentFormat), line: 4, column: 9),
        Case(fixture: "call.py", problem: .notALiteral(.call("text")), line: 4, column: 5),
        Case(fixture: "name.py", problem: .notALiteral(.name("CREATE_USERS")), line: 5, column: 5),
        Case(fixture: "comprehension.py", problem: .notALiteral(.comprehension), line: 3, column: 39),
        Case(fixture: "bytes.py", problem: .notALiteral(.bytes), line: 2, column: 5),
        Case(fixture: "appended.py", problem: .builtAtRunTime(name: "migration_steps", how: "migration_steps.append(…)"), line: 7, column: 5),
        Case(fixture: "assigned-twice.py", problem: .assignedTwice(name: "migration_steps", first: PythonLocation(line: 1, column: 19)), line: 5, column: 23),
        Case(fixture: "not-a-list.py", problem: .notAList(name: "migration_steps"), line: 3, column: 19),
        Case(fixture: "named-escape.py", problem: .namedEscape("\\N{BULLET}"), line: 2, column: 40),
    ]

    @Test(arguments: cases)
    func refusesWithFileLineAndColumn(_ refusal: Case) throws {
        let file = Fixtures.path("refusals/" + refusal.fixture)
        let error = try #require(throws: ImportError.self) { try StepListImport.read(file) }
        #expect(error.problem == refusal.problem)
        #expect(error.location == PythonLocation(line: refusal.line, column: refusal.column))
        #expect(error.description.hasPrefix("\(file):\(refusal.line):\(refusal.column): "))
    }

    @Test func anFStringIsRefusedWithTheAdvice() throws {
        let file = Fixtures.path("refusals/fstring.py")
        let error = try #require(throws: ImportError.self) { try StepListImport.read(file) }
        #expect(error.description == "\(file):11:9: an f-string is built at run time; write the SQL as a plain string literal; a step must not be built at run time")
    }

    @Test func aConcatenatedVariableIsRefusedWithTheAdvice() throws {
        let file = Fixtures.path("refusals/plus-variable.py")
        let error = try #require(throws: ImportError.self) { try StepListImport.read(file) }
        #expect(error.description == "\(file):5:50: '+ TABLE' joins a value that is not a literal; write the SQL as a plain string literal; a step must not be built at run time")
    }

    @Test func aMissingFileIsRefused() throws {
        let error = try #require(throws: ImportError.self) { try StepListImport.read(Fixtures.path("refusals/no-such-file.py")) }
        guard case .unreadable = error.problem else {
            Issue.record("expected unreadable, got \(error.problem)")
            return
        }
    }
}
