import Foundation
import RobotSQL

/// A directory of step files, `NNNN_slug.sql`, ordered by number.
///
/// A step file is plain SQL. A comment header at its top may carry directives:
/// ```sql
/// -- robot:name Add owner email to tenants (v1.1 Update)
/// -- robot:critical
/// -- robot:no-transaction
/// ```
/// `robot:name` names the step (default: the slug, `add_owner_email` → `Add owner email`),
/// `robot:critical` makes its failure stop the run, `robot:no-transaction` runs it outside a
/// transaction block. Hidden files (starting with `.`) are ignored; any other file that is not a
/// step file is an error, and so are repeated numbers and gaps.
public enum StepDirectory {
    /// One `NNNN_slug.sql` name, parsed.
    public struct FileName: Sendable, Hashable {
        public let number: Int
        public let fileName: String
        /// `0007_add_owner_email`: the step's id.
        public let stem: String

        /// Parses `0007_add_owner_email.sql`; `nil` for anything else.
        public init?(_ fileName: String) {
            var name = fileName
            // Bytes rather than Characters: a catalogue's directory is listed at every boot.
            guard let (number, stem) = name.withUTF8(Self.numberAndStem) else { return nil }
            self.number = number
            self.fileName = fileName
            self.stem = stem
        }

        /// `add_owner_email`, the stem after its number.
        public var slug: String {
            String(stem.drop { $0 != "_" }.dropFirst())
        }

        /// `Add owner email` from `add_owner_email`.
        public var humanisedSlug: String {
            let words = slug.replacingOccurrences(of: "_", with: " ").replacingOccurrences(of: "-", with: " ")
            return words.prefix(1).uppercased() + words.dropFirst()
        }

        /// `(7, "0007_add_owner_email")` for `0007_add_owner_email.sql`: at most nine digits, not all zero,
        /// an underscore, then ASCII letters, digits, `_` and `-`.
        private static func numberAndStem(_ bytes: UnsafeBufferPointer<UInt8>) -> (Int, String)? {
            let stemEnd = bytes.count - 4
            guard stemEnd > 0, bytes[stemEnd] == 0x2E, bytes[stemEnd + 1] == 0x73, bytes[stemEnd + 2] == 0x71, bytes[stemEnd + 3] == 0x6C
            else { return nil }
            var index = 0
            var number = 0
            while index < stemEnd, (0x30...0x39).contains(bytes[index]) {
                guard index < 9 else { return nil }
                number = number * 10 + Int(bytes[index] - 0x30)
                index += 1
            }
            guard number > 0, stemEnd - index > 1, bytes[index] == 0x5F else { return nil }
            for byte in bytes[(index + 1)..<stemEnd] {
                guard (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) || byte == 0x5F || byte == 0x2D
                else { return nil }
            }
            return (number, String(decoding: UnsafeBufferPointer(rebasing: bytes[..<stemEnd]), as: UTF8.self))
        }
    }

    /// Loads and validates every step file of `path`.
    public static func load(_ path: String) throws(CatalogueError) -> Catalogue {
        try declaration(in: path).validated()
    }

    /// Reads every step file of `path` and checks all but their SQL: file names, numbering, encoding and
    /// headers. What a warm boot needs (see ``CatalogueDeclaration``); ``load(_:)`` also lexes the steps.
    public static func declaration(in path: String) throws(CatalogueError) -> CatalogueDeclaration {
        let directory = try OpenDirectory(path)
        let names = try stepFileNames(in: directory)
        var problems: [CatalogueError.Problem] = []
        var steps: [Step] = []
        steps.reserveCapacity(names.count)
        var buffer: [UInt8] = []
        for name in names {
            do {
                steps.append(try readStep(name, in: directory, buffer: &buffer))
            } catch {
                problems += error.problems
            }
        }
        guard problems.isEmpty else { throw CatalogueError(problems: problems) }
        return try CatalogueDeclaration(steps, source: path)
    }

    /// The step file names of `path` in order, after checking for stray files, repeats and gaps.
    public static func stepFileNames(in path: String) throws(CatalogueError) -> [FileName] {
        try stepFileNames(in: OpenDirectory(path))
    }

    private static func stepFileNames(in directory: OpenDirectory) throws(CatalogueError) -> [FileName] {
        var problems: [CatalogueError.Problem] = []
        var names: [FileName] = []
        var strays: [String] = []
        for entry in try directory.entries() where !entry.name.hasPrefix(".") {
            if let name = FileName(entry.name), !entry.isDirectory {
                names.append(name)
            } else {
                strays.append(entry.name)
            }
        }
        for stray in strays.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
            problems.append(.strayFile(path: directory.path(of: stray)))
        }
        names.sort { $0.number != $1.number ? $0.number < $1.number : $0.fileName.utf8.lexicographicallyPrecedes($1.fileName.utf8) }
        var missing: [Int] = []
        var index = names.startIndex
        while index < names.endIndex {
            let number = names[index].number
            let sameNumber = names[index...].prefix { $0.number == number }
            if sameNumber.count > 1 { problems.append(.duplicateNumber(number, paths: sameNumber.map { directory.path(of: $0.fileName) })) }
            let previous = index == names.startIndex ? 0 : names[index - 1].number
            missing += (previous + 1)..<number
            index += sameNumber.count
        }
        if !missing.isEmpty { problems.append(.missingNumbers(missing, directory: directory.path)) }
        guard problems.isEmpty else { throw CatalogueError(problems: problems) }
        return names
    }

    /// Reads the step file `name` through `buffer`, which is reused from file to file.
    private static func readStep(_ name: FileName, in directory: OpenDirectory, buffer: inout [UInt8]) throws(CatalogueError) -> Step {
        let filePath = directory.path(of: name.fileName)
        let size = try directory.contents(of: name.fileName, into: &buffer)
        let read = buffer.withUnsafeBufferPointer { buffer -> Result<(String, StepFileHeader), CatalogueError> in
            var bytes = UnsafeBufferPointer(rebasing: buffer[..<size])
            if size >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { bytes = UnsafeBufferPointer(rebasing: bytes[3...]) }
            guard let text = String(validating: bytes, as: UTF8.self) else {
                return .failure(CatalogueError(problems: [.notUTF8(path: filePath, line: lineOfFirstInvalidByte(bytes))]))
            }
            return Result { () throws(CatalogueError) in (text, try StepFileHeader(bytes: bytes, path: filePath)) }
        }
        let (text, header) = try read.get()
        return Step(
            header.name ?? name.humanisedSlug, id: name.stem, critical: header.isCritical,
            transaction: !header.isNoTransaction, sql: text, origin: .file(path: filePath)
        )
    }

    private static func lineOfFirstInvalidByte(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var validPrefix = bytes.count
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        var consumed = 0
        decoding: while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar): consumed += UTF8.width(scalar)
            case .emptyInput: break decoding
            case .error:
                validPrefix = consumed
                break decoding
            }
        }
        return 1 + bytes[..<validPrefix].lazy.filter { $0 == 0x0A }.count
    }
}

/// The `-- robot:` directives at the top of a step file.
struct StepFileHeader {
    private(set) var name: String?
    private(set) var isCritical = false
    private(set) var isNoTransaction = false

    /// Directives a statement may carry anywhere (read by the linter), not header directives.
    static let statementDirectives: Set<String> = ["allow"]

    /// Reads the header of a step file's UTF-8 `bytes` and refuses directives anywhere else.
    init(bytes: UnsafeBufferPointer<UInt8>, path: String) throws(CatalogueError) {
        var problems: [CatalogueError.Problem] = []
        var seenName = false, seenCritical = false, seenNoTransaction = false
        var seenOthers: [String] = []
        var inHeader = true
        var lineNumber = 0
        var lineStart = 0
        // Line by line on the bytes, without splitting: every step file is read at every boot.
        while lineStart < bytes.count {
            lineNumber += 1
            let lineEnd = Self.endOfLine(in: bytes, from: lineStart)
            defer { lineStart = lineEnd + 1 }
            var first = lineStart
            while first < lineEnd, bytes[first] == 0x20 || bytes[first] == 0x09 || bytes[first] == 0x0D { first += 1 }
            guard first < lineEnd else { continue }
            guard lineEnd - first >= 2, bytes[first] == 0x2D, bytes[first + 1] == 0x2D else {
                inHeader = false
                continue
            }
            guard let directive = Self.directive(inComment: UnsafeBufferPointer(rebasing: bytes[(first + 2)..<lineEnd])) else { continue }
            if Self.statementDirectives.contains(directive.keyword) { continue }
            guard inHeader else {
                problems.append(.misplacedDirective(place: "\(path):\(lineNumber)", directive: "robot:\(directive.keyword)"))
                continue
            }
            let isRepeated: Bool
            switch directive.keyword {
            case "name": (isRepeated, seenName) = (seenName, true)
            case "critical": (isRepeated, seenCritical) = (seenCritical, true)
            case "no-transaction": (isRepeated, seenNoTransaction) = (seenNoTransaction, true)
            default:
                isRepeated = seenOthers.contains(directive.keyword)
                seenOthers.append(directive.keyword)
            }
            guard !isRepeated else {
                problems.append(.repeatedDirective(place: "\(path):\(lineNumber)", directive: "robot:\(directive.keyword)"))
                continue
            }
            switch directive.keyword {
            case "name" where !directive.argument.isEmpty: name = directive.argument
            case "critical" where directive.argument.isEmpty: isCritical = true
            case "no-transaction" where directive.argument.isEmpty: isNoTransaction = true
            default:
                let written = directive.argument.isEmpty ? directive.keyword : "\(directive.keyword) \(directive.argument)"
                problems.append(.unknownDirective(place: "\(path):\(lineNumber)", directive: "robot:\(written)"))
            }
        }
        guard problems.isEmpty else { throw CatalogueError(problems: problems) }
    }

    /// The index of the line feed that ends the line starting at `start`, or the end of `bytes`.
    private static func endOfLine(in bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        guard let base = bytes.baseAddress, let found = memchr(base + start, 0x0A, bytes.count - start) else { return bytes.count }
        return base.distance(to: found.assumingMemoryBound(to: UInt8.self))
    }

    /// `("name", "Add owner email")` for the comment ` robot:name Add owner email` (what follows `--`);
    /// `nil` for any other comment.
    private static func directive(inComment comment: UnsafeBufferPointer<UInt8>) -> (keyword: String, argument: String)? {
        let isBlank = { (byte: UInt8) in byte == 0x20 || (0x09...0x0D).contains(byte) }
        var index = 0
        while index < comment.count, isBlank(comment[index]) { index += 1 }
        let prefix: StaticString = "robot:"
        guard comment.count - index >= prefix.utf8CodeUnitCount,
              memcmp(comment.baseAddress! + index, prefix.utf8Start, prefix.utf8CodeUnitCount) == 0
        else { return nil }
        index += prefix.utf8CodeUnitCount
        let keywordStart = index
        while index < comment.count, !isBlank(comment[index]) { index += 1 }
        let keyword = UnsafeBufferPointer(rebasing: comment[keywordStart..<index])
        while index < comment.count, isBlank(comment[index]) { index += 1 }
        var argumentEnd = comment.count
        while argumentEnd > index, isBlank(comment[argumentEnd - 1]) { argumentEnd -= 1 }
        let argument = UnsafeBufferPointer(rebasing: comment[index..<argumentEnd])
        return (String(decoding: keyword, as: UTF8.self), String(decoding: argument, as: UTF8.self))
    }
}
