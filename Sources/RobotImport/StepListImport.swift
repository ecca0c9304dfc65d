import Foundation
import MaintenanceRobot
import RobotSQL

/// The steps of a Python service's every-boot list of SQL strings, read without running Python, ready to be
/// written as `NNNN_slug.sql` files: what `robot import` does.
///
/// ```swift
/// let steps = try StepListImport.read("app/main.py")            // the list `migration_steps`
/// for written in try steps.write(into: "db/steps") { print(written.path) }
/// ```
///
/// Each element of the list becomes one step, in order: named after the comment line directly above it (its
/// numbering, `1b.`, `Step 3:`, left out), else after what its first statement does; its SQL is the string's
/// value, dedented, and otherwise byte for byte. Elements that are blank are skipped, as a loop with
/// `if step.strip():` skipped them. Anything that is not a string literal is refused with its place.
///
/// ## Topics
/// - ``read(_:listName:)``, ``init(python:file:listName:)``: reading.
/// - ``steps``, ``skipped``: what was read.
/// - ``plannedFiles(in:)``, ``write(into:)``: writing.
public struct StepListImport: Sendable {
    /// The list's default name.
    public static let defaultListName = "migration_steps"

    /// The Python file, as named.
    public let file: String
    public let listName: String
    /// Where the list's `[` is.
    public let listLocation: PythonLocation
    /// The steps, in the list's order.
    public let steps: [ImportedStep]
    /// The elements left out, in the list's order.
    public let skipped: [SkippedElement]

    /// Reads the Python module at `path`.
    /// - Throws: ``ImportError`` when the file cannot be read, has no such list, or the list holds anything but
    ///   string literals.
    public static func read(_ path: String, listName: String = defaultListName) throws(ImportError) -> StepListImport {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw ImportError(file: path, problem: .unreadable(reason: error.localizedDescription))
        }
        var bytes = [UInt8](data)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        guard let source = String(validating: bytes, as: UTF8.self) else { throw ImportError(file: path, problem: .notUTF8) }
        return try StepListImport(python: source, file: path, listName: listName)
    }

    /// Reads the Python module `source`; `file` names it in errors.
    public init(python source: String, file: String, listName: String = defaultListName) throws(ImportError) {
        let reader: StepListReader
        do {
            reader = try StepListReader(source, listName: listName)
        } catch {
            throw error.error(in: file)
        }
        var steps: [ImportedStep] = []
        var skipped: [SkippedElement] = []
        for element in reader.elements {
            let value: String
            do {
                value = try element.literals.map { literal throws(LocatedProblem) in try literal.value() }.joined()
            } catch {
                throw error.error(in: file)
            }
            if let reason = SkippedElement.Reason(value) {
                skipped.append(SkippedElement(location: element.start, reason: reason))
            } else {
                steps.append(ImportedStep(element, value: value))
            }
        }
        guard !steps.isEmpty else { throw ImportError(file: file, location: reader.listStart, problem: .emptyList(name: listName)) }
        self.file = file
        self.listName = listName
        self.listLocation = reader.listStart
        self.steps = steps
        self.skipped = skipped
    }

    /// The paths the steps would be written to in `directory`, in order: numbered on from its last step.
    /// - Throws: ``ImportError`` when the directory's steps are broken (gaps, repeats, stray files).
    public func plannedFiles(in directory: String) throws(ImportError) -> [String] {
        var existing: [StepDirectory.FileName] = []
        if FileManager.default.fileExists(atPath: directory) {
            do {
                existing = try StepDirectory.stepFileNames(in: directory)
            } catch {
                throw ImportError(file: directory, problem: .stepDirectory(error.problems))
            }
        }
        let first = (existing.last?.number ?? 0) + 1
        let width = max(4, existing.map { $0.fileName.prefix { $0.isNumber }.count }.max() ?? 4)
        return steps.enumerated().map { offset, step in
            let digits = String(first + offset)
            let fileName = String(repeating: "0", count: max(0, width - digits.count)) + digits + "_" + step.slug + ".sql"
            return (directory as NSString).appendingPathComponent(fileName)
        }
    }

    /// Writes every step as the next numbered file of `directory`, creating it when missing. Existing files are
    /// never touched: when one of the new files exists, or a file cannot be written, nothing stays written.
    /// - Returns: the files written, in order.
    public func write(into directory: String) throws(ImportError) -> [WrittenStep] {
        let paths = try plannedFiles(in: directory)
        if let existing = paths.first(where: { FileManager.default.fileExists(atPath: $0) }) {
            throw ImportError(file: directory, problem: .fileExists(path: existing))
        }
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw ImportError(file: directory, problem: .unwritable(path: directory, reason: error.localizedDescription))
        }
        var written: [WrittenStep] = []
        for (path, step) in zip(paths, steps) {
            do {
                try Data(step.fileContents.utf8).write(to: URL(fileURLWithPath: path), options: .withoutOverwriting)
            } catch {
                for file in written { try? FileManager.default.removeItem(atPath: file.path) }
                let exists = FileManager.default.fileExists(atPath: path)
                throw ImportError(file: directory, problem: exists ? .fileExists(path: path) : .unwritable(path: path, reason: error.localizedDescription))
            }
            written.append(WrittenStep(path: path, step: step))
        }
        return written
    }
}

/// One element of the list, as the step it becomes.
public struct ImportedStep: Sendable, Hashable {
    /// The step's name: from the comment directly above the element, else the gist of its first statement.
    public let name: String
    /// Whether ``name`` comes from a comment.
    public let isNamedByComment: Bool
    /// The comment lines above the element after the one that named it, kept as comments in the step file.
    public let notes: [String]
    /// The string's value, as Python would hand it to the database.
    public let value: String
    /// The SQL as the step file holds it: ``value`` dedented, without the line break after an opening `"""`.
    public let sql: String
    /// Whether ``sql`` kept the indentation of ``value``, because removing it would change a literal that
    /// PostgreSQL keeps (a function's body, a multi-line string stored in a table).
    public let keepsIndentation: Bool
    /// Where the element starts in the Python file.
    public let location: PythonLocation

    init(_ element: ListElement, value: String) {
        let dropsLineBreak = element.literals.first.map { $0.isTriple && $0.startsWithLineBreak } ?? false
        let (sql, isDedented) = Dedent.stepSQL(value, dropsLeadingLineBreak: dropsLineBreak)
        let naming = element.comments.indices.lazy.compactMap { index in
            StepNaming.name(fromComment: element.comments[index]).map { (name: $0, index: index) }
        }.first
        // A header line holds the name: a line break (from a quoted identifier) becomes a space.
        self.name = (naming?.name ?? StepNaming.gist(of: sql)).split(whereSeparator: \.isNewline).joined(separator: " ")
        self.isNamedByComment = naming != nil
        self.notes = naming.map { Array(element.comments[($0.index + 1)...]) } ?? []
        self.value = value
        self.sql = sql
        self.keepsIndentation = !isDedented
        self.location = element.start
    }

    /// `pre_clean_handoff_config_drop_if_broken`: the file name's part after the number.
    public var slug: String { StepFileTemplate.slug(for: name) }

    /// The step file's text: the `-- robot:name` header, the notes as comments, then the SQL and a final line break.
    public var fileContents: String {
        var text = "-- robot:name \(name)\n"
        for note in notes {
            // A note that reads like a directive would be taken for one (and refused as misspelled).
            let isDirectiveLike = note.lowercased().drop { $0 == " " }.hasPrefix("robot") && note.contains(":")
            text += "-- " + (isDirectiveLike ? "note: " : "") + note + "\n"
        }
        return text + sql + (sql.hasSuffix("\n") ? "" : "\n")
    }
}

/// An element of the list that becomes no step.
public struct SkippedElement: Sendable, Hashable {
    public enum Reason: Sendable, Hashable, CustomStringConvertible {
        /// Blank after stripping: the original loop skipped it (`if step.strip()`).
        case blank
        /// Only SQL comments: no statement to run, and a step file needs one.
        case onlyComments

        /// The reason `value` is skipped, or `nil` when it is a step.
        init?(_ value: String) {
            if value.allSatisfy(\.isWhitespace) {
                self = .blank
            } else if let statements = try? SQLStatementSplitter.split(value), statements.isEmpty {
                self = .onlyComments
            } else {
                return nil
            }
        }

        public var description: String {
            switch self {
            case .blank: "blank (the loop skipped it: if step.strip())"
            case .onlyComments: "only SQL comments, no statement"
            }
        }
    }

    /// Where the element starts in the Python file.
    public let location: PythonLocation
    public let reason: Reason
}

/// A step file `robot import` wrote.
public struct WrittenStep: Sendable, Hashable {
    public let path: String
    public let step: ImportedStep
}
