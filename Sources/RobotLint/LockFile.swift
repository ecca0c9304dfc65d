import Foundation
import MaintenanceRobot

/// The checksums of applied steps, in order: what `robot lint --update-lock` writes and CI compares,
/// so an applied step that is edited, removed or moved is caught before deploy (history is append-only).
public struct LockFile: Sendable, Hashable, Codable {
    /// One applied step.
    public struct Entry: Sendable, Hashable, Codable {
        public let id: String
        public let checksum: String
    }

    /// The format version, so a newer robot can read an older file.
    public var formatVersion = 1
    /// The locked steps in catalogue order.
    public var steps: [Entry]

    /// The lock of every step of `catalogue`.
    public init(catalogue: Catalogue) {
        steps = catalogue.steps.map { Entry(id: $0.id, checksum: $0.checksum) }
    }

    /// Reads a lock file.
    /// - Throws: ``LockFileError`` when the file cannot be read or is not a lock file.
    public static func read(_ path: String) throws(LockFileError) -> LockFile {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw LockFileError(path: path, reason: "cannot be read; check the path and its permissions")
        }
        do {
            return try JSONDecoder().decode(LockFile.self, from: data)
        } catch {
            throw LockFileError(path: path, reason: "is not a lock file (\(error)); write it again with robot lint --update-lock")
        }
    }

    /// Writes the lock file as stable, diff-friendly JSON.
    /// - Throws: ``LockFileError`` when the file cannot be written.
    public func write(to path: String) throws(LockFileError) {
        do {
            try (ReportJSON.encode(self) + Data("\n".utf8)).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw LockFileError(path: path, reason: "cannot be written (\(error.localizedDescription)); check the directory's permissions")
        }
    }

    /// The findings of `catalogue` against this lock: locked steps edited, removed or moved.
    func drift(of catalogue: Catalogue) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        for (index, entry) in steps.enumerated() {
            guard let step = catalogue.step(id: entry.id) else {
                diagnostics.append(Diagnostic(
                    rule: .appliedStepRemoved,
                    message: "step \(entry.id), applied at position \(index + 1), is in the lock file but no longer in the catalogue",
                    file: catalogue.source
                ))
                continue
            }
            let location = step.statements.first?.start ?? .start
            if step.position != index + 1 {
                diagnostics.append(Diagnostic(
                    rule: .appliedStepReordered,
                    message: "\(step.label) was applied at position \(index + 1) and is now at position \(step.position)",
                    step: step, at: location
                ))
            } else if step.checksum != entry.checksum {
                diagnostics.append(Diagnostic(
                    rule: .appliedStepEdited,
                    message: "\(step.label) was edited after it was applied; databases that ran it will not see the change",
                    step: step, at: location
                ))
            }
        }
        return diagnostics
    }
}

/// A lock file that cannot be read or written.
public struct LockFileError: Error, Sendable, CustomStringConvertible {
    /// The lock file's path.
    public let path: String
    /// What went wrong and what to do.
    public let reason: String

    public var description: String { "\(path): \(reason)" }
}
