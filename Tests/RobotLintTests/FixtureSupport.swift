import Foundation
import MaintenanceRobot
import RobotLint

/// Fixture directories under Tests/RobotLintTests/Fixtures, and the `-- expect RULE line:column` comments
/// in their files.
enum Fixtures {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures").path

    static func path(_ relative: String) -> String {
        (root as NSString).appendingPathComponent(relative)
    }

    /// The lock file of a fixture directory, when it has one.
    static func lock(of directory: String) throws -> LockFile? {
        let lockPath = (directory as NSString).appendingPathComponent(".robot.lock")
        guard FileManager.default.fileExists(atPath: lockPath) else { return nil }
        return try LockFile.read(lockPath)
    }

    /// Lints a fixture directory with its lock file.
    static func lint(_ relative: String) throws -> [Diagnostic] {
        let directory = path(relative)
        return try Linter().lint(directory: directory, lock: lock(of: directory))
    }

    /// `rule path:line:column` for every `-- expect rule line:column` comment in the directory's files.
    static func expectations(in relative: String) throws -> Set<String> {
        let directory = path(relative)
        var expectations = Set<String>()
        for file in try FileManager.default.contentsOfDirectory(atPath: directory) where file.hasSuffix(".sql") {
            let filePath = (directory as NSString).appendingPathComponent(file)
            for line in try String(contentsOfFile: filePath, encoding: .utf8).split(separator: "\n") where line.hasPrefix("-- expect ") {
                let parts = line.dropFirst("-- expect ".count).split(separator: " ")
                expectations.insert("\(parts[0]) \(filePath):\(parts[1])")
            }
        }
        return expectations
    }

    /// `rule path:line:column` of every diagnostic with a position.
    static func positions(_ diagnostics: [Diagnostic]) -> Set<String> {
        Set(diagnostics.filter { $0.column != nil }.map { "\($0.ruleID) \($0.place)" })
    }
}
