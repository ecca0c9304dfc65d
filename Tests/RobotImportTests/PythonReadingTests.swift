@testable import RobotImport
import Testing

/// The Python tokenizer and string rules, on small sources.
@Suite struct PythonReadingTests {
    /// The value of the one element of `migration_steps = [<element>]`.
    private func value(of element: String) throws -> String {
        let imported = try StepListImport(python: "migration_steps = [\n    \(element),\n]\n", file: "t.py")
        return try #require(imported.steps.first).value
    }

    @Test(arguments: [
        (#"'a\nb'"#, "a\nb"),
        (#""tab\there""#, "tab\there"),
        (#"'it\'s'"#, "it's"),
        (#""say \"hi\"""#, "say \"hi\""),
        (#"'back\\slash'"#, "back\\slash"),
        (#"'\\\''"#, "\\'"),
        (#"'\x41\101\u00e9\U0001F600'"#, "AAé😀"),
        (#"'\d kept'"#, "\\d kept"),
        (#"r'\d \n \''"#, #"\d \n \'"#),
        (#"R"a\b""#, #"a\b"#),
        (#"U"\u2014""#, "—"),
        (#"'a' "b" '''c''' """d""""#, "abcd"),
        (#"('a'"# + "\n     " + #"'b')"#, "ab"),
        (#"'a' + 'b'"#, "ab"),
        ("'a\\\nb'", "ab"),
        ("r'a\\\nb'", "a\\\nb"),
        ("'a' \\\n    'b'", "ab"),
        ("\"\"\"\n  x\n  y\n\"\"\"", "\n  x\n  y\n"),
        ("'a' # a comment between\n    'b'", "ab"),
    ])
    func decodesLiterals(source: String, expected: String) throws {
        #expect(try value(of: source) == expected)
    }

    @Test func skipsStringsThatOnlyMentionTheList() throws {
        let source = """
            HELP = "migration_steps = ['no']"
            DOC = '''
            migration_steps = ['no']
            '''
            # migration_steps = ['no']
            migration_steps = ['yes']
            """
        #expect(try StepListImport(python: source, file: "t.py").steps.map(\.value) == ["yes"])
    }

    @Test func readsFStringsWithNestedQuotesAsOneToken() throws {
        // Python 3.12: a replacement field may hold strings with the f-string's own quotes, and format specs.
        let tokens = try PythonTokenizer.tokens(#"x = f"{d["k"]:>{width}} {'}'} {{literal}}" + 'z'"#)
        #expect(tokens.map(\.kind) == [.name, .operator, .string, .operator, .string, .newline, .end])
        #expect(tokens[2].text == #"f"{d["k"]:>{width}} {'}'} {{literal}}""#)
        #expect(tokens[4].start == PythonLocation(line: 1, column: 46))
    }

    @Test func findsTheListInsideAFunctionWithAnAnnotation() throws {
        let source = """
            import os

            async def lifespan(app):
                if os.environ.get("X"):
                    pass
                migration_steps: list[str] = [
                    "SELECT 1",
                ]
                for step in migration_steps:
                    pass
            """
        let imported = try StepListImport(python: source, file: "t.py")
        #expect(imported.listLocation == PythonLocation(line: 6, column: 34))
        #expect(imported.steps.map(\.location) == [PythonLocation(line: 7, column: 9)])
    }

    @Test func keywordArgumentsAndAttributesAreNoAssignments() throws {
        let source = """
            configure(migration_steps=["no"])
            self.migration_steps = ["no"]
            STEPS = ["yes"]
            """
        #expect(throws: ImportError.self) { try StepListImport(python: source, file: "t.py") }
        #expect(try StepListImport(python: source, file: "t.py", listName: "STEPS").steps.map(\.value) == ["yes"])
    }

    @Test(arguments: [
        ("migration_steps = []", ImportError.Problem.emptyList(name: "migration_steps"), PythonLocation(line: 1, column: 19)),
        ("migration_steps = ['  ', '''\n''']", .emptyList(name: "migration_steps"), PythonLocation(line: 1, column: 19)),
        ("migration_steps = ['a'", .unclosedList(name: "migration_steps"), PythonLocation(line: 1, column: 19)),
        ("migration_steps = ['a\n']", .unterminatedString, PythonLocation(line: 1, column: 20)),
        ("x = 1\nmigration_steps = ['''a\n", .unterminatedString, PythonLocation(line: 2, column: 20)),
        ("migration_steps = [\n  '\\x4'\n]", .invalidEscape("\\x4"), PythonLocation(line: 2, column: 4)),
        ("migration_steps = ['a' 'b' % x]", .notALiteral(.percentFormat), PythonLocation(line: 1, column: 28)),
        ("migration_steps = [('a', 'b')]", .notALiteral(.tuple), PythonLocation(line: 1, column: 24)),
        ("migration_steps = ['a' if x else 'b']", .notALiteral(.conditional), PythonLocation(line: 1, column: 24)),
        ("migration_steps = ['a'.upper()]", .notALiteral(.expression(".upper(…)")), PythonLocation(line: 1, column: 23)),
        ("migration_steps = [sql.CREATE_USERS]", .notALiteral(.name("sql.CREATE_USERS")), PythonLocation(line: 1, column: 20)),
        ("migration_steps = [*OTHER]", .notALiteral(.expression("*")), PythonLocation(line: 1, column: 20)),
        ("migration_steps = [t'x']", .notALiteral(.templateString), PythonLocation(line: 1, column: 20)),
        ("migration_steps = ['a' + (b)]", .notALiteral(.name("b")), PythonLocation(line: 1, column: 27)),
        ("migration_steps = ('a',)", .notAList(name: "migration_steps"), PythonLocation(line: 1, column: 19)),
        ("steps = ['a']", .listNotFound(name: "migration_steps"), nil),
        ("migration_steps = ['a']\nmigration_steps += ['b']", .builtAtRunTime(name: "migration_steps", how: "migration_steps += …"), PythonLocation(line: 2, column: 1)),
    ] as [(String, ImportError.Problem, PythonLocation?)])
    func refusesWithItsPlace(source: String, problem: ImportError.Problem, location: PythonLocation?) throws {
        let error = try #require(throws: ImportError.self) { try StepListImport(python: source, file: "t.py") }
        #expect(error.problem == problem)
        #expect(error.location == location)
        #expect(error.description.hasPrefix("t.py" + (location.map { ":\($0): " } ?? ": ")))
    }
}
