import Foundation

/// Paths of the fixture files under Tests/MaintenanceRobotTests/Fixtures.
enum Fixtures {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures").path

    /// A fixture catalogue directory, e.g. `catalogues/valid`.
    static func catalogue(_ name: String) -> String {
        (directory as NSString).appendingPathComponent("catalogues/\(name)")
    }
}
