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
        public let slug: String
        public let fileName: String

        /// Parses `0007_add_owner_email.sql`; `nil` for anything else.
        public init?(_ fileName: String) {
            // Bytes rather than Characters: a catalogue's directory is listed at every boot.
            let bytes = Array(fileName.utf8)
            guard bytes.count > 4, bytes.suffix(4).elementsEqual(".sql".utf8) else { return nil }
            let stem = bytes.dropLast(4)
            let digits = stem.prefix { (0x30...0x39).contains($0) }
            let rest = stem.dropFirst(digits.count)
            let isSlugByte = { (byte: UInt8) in
                (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) || byte == 0x5F || byte == 0x2D
            }
            guard !digits.isEmpty, digits.count <= 9, rest.first == 0x5F, rest.count > 1, rest.dropFirst().allSatisfy(isSlugByte)
            else { return nil }
            let number = digits.reduce(0) { $0 * 10 + Int($1 - 0x30) }
            guard number > 0 else { return nil }
            self.number = number
            self.slug = String(decoding: rest.dropFirst(), as: UTF8.self)
            self.fileName = fileName
        }

        /// `0007_add_owner_email`: the step's id.
        public var stem: String { String(fileName.dropLast(4)) }

        /// `Add owner email` from `add_owner_email`.
        public var humanisedSlug: String {
            let words = slug.replacingOccurrences(of: "_", with: " ").replacingOccurrences(of: "-", with: " ")
            return words.prefix(1).uppercased() + words.dropFirst()
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
        for name in names {
            do {
                steps.append(try readStep(name, in: directory))
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

    private static func readStep(_ name: FileName, in directory: OpenDirectory) throws(CatalogueError) -> Step {
        let filePath = directory.path(of: name.fileName)
        var bytes = try directory.contents(of: name.fileName)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw CatalogueError(problems: [.notUTF8(path: filePath, line: lineOfFirstInvalidByte(bytes))])
        }
        let header = try StepFileHeader(bytes: bytes, path: filePath)
        return Step(
            header.name ?? name.humanisedSlug, id: name.stem, critical: header.isCritical,
            transaction: !header.isNoTransaction, sql: text, origin: .file(path: filePath)
        )
    }

    private static func lineOfFirstInvalidByte(_ bytes: [UInt8]) -> Int {
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
    init(bytes: [UInt8], path: String) throws(CatalogueError) {
        var problems: [CatalogueError.Problem] = []
        var seen = Set<String>()
        var inHeader = true
        var lineNumber = 0
        var lineStart = bytes.startIndex
        // Line by line without splitting: every step file is read at every boot.
        while lineStart < bytes.endIndex {
            lineNumber += 1
            let lineEnd = bytes[lineStart...].firstIndex(of: 0x0A) ?? bytes.endIndex
            defer { lineStart = lineEnd + 1 }
            let line = bytes[lineStart..<lineEnd].drop { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }
            let isComment = line.starts(with: [0x2D, 0x2D])
            if !line.isEmpty && !isComment { inHeader = false }
            guard isComment, let directive = Self.directive(in: line) else { continue }
            let place = "\(path):\(lineNumber)"
            if Self.statementDirectives.contains(directive.keyword) { continue }
            guard inHeader else {
                problems.append(.misplacedDirective(place: place, directive: "robot:\(directive.keyword)"))
                continue
            }
            guard seen.insert(directive.keyword).inserted else {
                problems.append(.repeatedDirective(place: place, directive: "robot:\(directive.keyword)"))
                continue
            }
            switch directive.keyword {
            case "name" where !directive.argument.isEmpty: name = directive.argument
            case "critical" where directive.argument.isEmpty: isCritical = true
            case "no-transaction" where directive.argument.isEmpty: isNoTransaction = true
            default:
                let written = directive.argument.isEmpty ? directive.keyword : "\(directive.keyword) \(directive.argument)"
                problems.append(.unknownDirective(place: place, directive: "robot:\(written)"))
            }
        }
        guard problems.isEmpty else { throw CatalogueError(problems: problems) }
    }

    private static let directivePrefix = Array("robot:".utf8)

    /// `("name", "Add owner email")` for `-- robot:name Add owner email`; `nil` for any other comment line.
    private static func directive(in line: ArraySlice<UInt8>) -> (keyword: String, argument: String)? {
        let isBlank = { (byte: UInt8) in byte == 0x20 || (0x09...0x0D).contains(byte) }
        let comment = line.dropFirst(2).drop(while: isBlank)
        guard comment.starts(with: directivePrefix) else { return nil }
        let body = comment.dropFirst(directivePrefix.count)
        let keyword = body.prefix { !isBlank($0) }
        let argument = body.dropFirst(keyword.count).drop(while: isBlank)
        let end = argument.lastIndex { !isBlank($0) }.map { $0 + 1 } ?? argument.startIndex
        return (String(decoding: keyword, as: UTF8.self), String(decoding: argument[..<end], as: UTF8.self))
    }
}
