import Foundation
import RobotImport
import Subprocess
import Testing

/// The decoded values checked against Python's own reading of the fixture (`ast.literal_eval`), where Python 3
/// is installed. The fixture uses 3.12's f-strings with nested quotes outside the list; an older Python reads the
/// file with each line it cannot parse replaced by `pass` (a replaced line inside the list would change its values).
@Suite struct PythonOracleTests {
    /// The first Python 3.8 or later on PATH.
    static func python() async -> String? {
        for candidate in ["python3.14", "python3.13", "python3.12", "python3"] {
            let check = try? await run(candidate, ["-c", "import sys; sys.exit(0 if sys.version_info >= (3, 8) else 1)"])
            if check?.status == 0 { return candidate }
        }
        return nil
    }

    /// Runs `command` through `env` to its end, without holding a thread of the shared pool while it runs.
    private static func run(_ command: String, _ arguments: [String]) async throws -> (status: Int32, output: String) {
        let result = try await Subprocess.run(.name(command), arguments: Arguments(arguments), output: .string(limit: 1 << 24), error: .discarded)
        guard case .exited(let code) = result.terminationStatus else { return (-1, "") }
        return (code, result.standardOutput)
    }

    private static let script = """
        import ast, json, sys
        lines = open(sys.argv[1], encoding="utf-8").read().splitlines(keepends=True)
        for _ in range(len(lines)):
            try:
                tree = ast.parse("".join(lines))
                break
            except SyntaxError as error:
                if not error.lineno:
                    raise
                line = lines[error.lineno - 1]
                lines[error.lineno - 1] = line[: len(line) - len(line.lstrip())] + "pass\\n"
        for node in ast.walk(tree):
            if isinstance(node, (ast.Assign, ast.AnnAssign)):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                if any(isinstance(t, ast.Name) and t.id == "migration_steps" for t in targets):
                    values = [ast.literal_eval(element) for element in node.value.elts]
                    print(json.dumps([value for value in values if value.strip()]))
        """

    @Test(.enabled("needs Python 3.8 or later") { await python() != nil })
    func valuesAreThoseThatPythonReads() async throws {
        let python = try #require(await Self.python())
        let (status, output) = try await Self.run(python, ["-c", Self.script, Fixtures.service])
        #expect(status == 0)
        let values = try JSONDecoder().decode([String].self, from: Data(output.utf8))
        #expect(try StepListImport.read(Fixtures.service).steps.map(\.value) == values)
    }
}
