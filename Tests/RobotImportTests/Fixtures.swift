import Foundation

/// The fixture files of these tests, and scratch directories for what an import writes.
enum Fixtures {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures").path

    /// `Fixtures/<name>`.
    static func path(_ name: String) -> String { root + "/" + name }

    /// The realistic service: a FastAPI lifespan with its list inside `async def lifespan(app)`.
    static let service = path("fastapi-lifespan/main.py")
    /// The step files importing ``service`` must write, byte for byte.
    static let serviceExpected = path("fastapi-lifespan/expected")

    /// Calls `body` with a new, empty directory under the temporary directory, removed afterwards.
    static func withScratchDirectory<T>(_ label: String = #function, _ body: (String) throws -> T) throws -> T {
        let directory = try makeScratchDirectory(label)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        return try body(directory)
    }

    /// Calls `body` with a new, empty directory under the temporary directory, removed afterwards.
    static func withScratchDirectory<T>(_ label: String = #function, _ body: (String) async throws -> T) async throws -> T {
        let directory = try makeScratchDirectory(label)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        return try await body(directory)
    }

    private static func makeScratchDirectory(_ label: String) throws -> String {
        let cleaned = String(label.map { $0.isLetter || $0.isNumber ? $0 : "_" })
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("robot-import-\(cleaned)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url.path
    }

    /// The names of the files in `directory`, sorted.
    static func files(in directory: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
    }

    static func text(_ path: String) throws -> String {
        try String(contentsOfFile: path, encoding: .utf8)
    }
}
