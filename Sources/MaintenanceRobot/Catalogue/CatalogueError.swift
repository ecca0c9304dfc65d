import RobotSQL

/// Why a catalogue cannot be used. Nothing runs while a catalogue has a problem.
///
/// Every problem found is listed, each naming the file (or Swift declaration) and what to do.
public struct CatalogueError: Error, Sendable, CustomStringConvertible {
    /// One thing wrong with the catalogue.
    public enum Problem: Sendable, Hashable, CustomStringConvertible {
        case directoryMissing(path: String)
        case unreadable(path: String, reason: String)
        case unwritable(path: String, reason: String)
        case notUTF8(path: String, line: Int)
        case strayFile(path: String)
        case duplicateNumber(Int, paths: [String])
        case missingNumbers([Int], directory: String)
        case unknownDirective(place: String, directive: String)
        case misplacedDirective(place: String, directive: String)
        /// A header comment that reads like a directive with the wrong case or spacing (`-- Robot:critical`).
        case misspelledDirective(place: String, written: String, spelling: String)
        case repeatedDirective(place: String, directive: String)
        case emptyStep(step: String)
        /// `BEGIN`, `COMMIT`, `ROLLBACK` … in a step that runs in a transaction, at the top level or in a `DO` block
        /// or procedure body.
        case transactionControl(place: String, statement: String)
        case syntax(place: String, SQLSyntaxError)
        case duplicateID(String, first: String, second: String)
        case emptyName(step: String)
        case noSteps(source: String)

        public var description: String {
            switch self {
            case .directoryMissing(let path):
                "\(path): no such step directory; create it (robot new \"First step (v1.0 Update)\") or point the robot at the right one"
            case .unreadable(let path, let reason):
                "\(path): cannot be read (\(reason)); fix its permissions"
            case .unwritable(let path, let reason):
                "\(path): cannot be written (\(reason)); check the directory's permissions"
            case .notUTF8(let path, let line):
                "\(path):\(line): not valid UTF-8; save the file as UTF-8"
            case .strayFile(let path):
                "\(path): not a step file; step files are named NNNN_slug.sql (e.g. 0007_add_owner_email.sql); move other files out of the step directory"
            case .duplicateNumber(let number, let paths):
                "step number \(number) is used by \(paths.count) files (\(paths.joined(separator: ", "))); give each step its own number"
            case .missingNumbers(let numbers, let directory):
                "\(directory): step numbers \(Self.ranges(numbers)) are missing; steps are numbered 1, 2, 3 … without gaps"
            case .unknownDirective(let place, let directive):
                "\(place): unknown directive '\(directive)'; the header knows robot:name, robot:critical and robot:no-transaction"
            case .misspelledDirective(let place, let written, let spelling):
                "\(place): '\(written)' looks like a directive but is not written as one, so it would be ignored; write '-- \(spelling)' (lowercase, no blank around the colon), or reword the comment"
            case .misplacedDirective(let place, let directive):
                "\(place): '\(directive)' must be in the comment header at the top of the file, before any SQL"
            case .repeatedDirective(let place, let directive):
                "\(place): '\(directive)' is given twice; keep one"
            case .emptyStep(let step):
                "\(step): the step has no SQL statement; write its SQL"
            case .transactionControl(let place, let statement):
                "\(place): \(statement) controls the transaction, but the robot runs this step in a transaction of its own, together with its ledger row; remove it (split the work into two steps if it must commit in between), or mark the step -- robot:no-transaction to run each statement on its own"
            case .syntax(let place, let error):
                "\(place):\(error)"
            case .duplicateID(let id, let first, let second):
                "step id '\(id)' is used twice (\(first) and \(second)); every step needs its own id"
            case .emptyName(let step):
                "\(step): the step has no name; name it after what it does, e.g. \"Add owner email (v1.1 Update)\""
            case .noSteps(let source):
                "\(source): the catalogue has no steps; add one (robot new \"First step (v1.0 Update)\")"
            }
        }

        private static func ranges(_ numbers: [Int]) -> String {
            var parts: [String] = []
            var index = 0
            while index < numbers.count {
                var end = index
                while end + 1 < numbers.count, numbers[end + 1] == numbers[end] + 1 { end += 1 }
                parts.append(end == index ? "\(numbers[index])" : "\(numbers[index])–\(numbers[end])")
                index = end + 1
            }
            return parts.joined(separator: ", ")
        }
    }

    /// Everything wrong, in the order found.
    public let problems: [Problem]

    public var description: String {
        let heading = problems.count == 1 ? "the step catalogue has a problem; nothing ran:" : "the step catalogue has \(problems.count) problems; nothing ran:"
        return ([heading] + problems.map { "  " + $0.description }).joined(separator: "\n")
    }
}
