import Foundation
import RobotSQL
import SystemPackage

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
        /// At most nine digits, not all zero, an underscore, then ASCII letters, digits, `_` and `-`.
        public init?(_ fileName: String) {
            guard fileName.hasSuffix(".sql") else { return nil }
            let stem = fileName.dropLast(4)
            let digits = stem.prefix { ("0"..."9").contains($0) }
            let slug = stem.dropFirst(digits.count)
            guard digits.count <= 9, let number = Int(digits), number > 0, slug.count > 1, slug.first == "_",
                  slug.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") })
            else { return nil }
            self.number = number
            self.fileName = fileName
            self.stem = String(stem)
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
    }

    /// Loads and validates every step file of `path`.
    public static func load(_ path: String) throws(CatalogueError) -> Catalogue {
        try declaration(in: path).validated()
    }

    /// Reads every step file of `path` and checks all but their SQL: file names, numbering, encoding and
    /// headers. What a warm boot needs (see ``CatalogueDeclaration``); ``load(_:)`` also lexes the steps.
    package static func declaration(in path: String) throws(CatalogueError) -> CatalogueDeclaration {
        var (names, problems) = try listing(path)
        var steps: [Step] = []
        for name in names {
            do {
                steps.append(try readStep(name, in: path))
            } catch {
                problems += error.problems
            }
        }
        guard problems.isEmpty else { throw CatalogueError(problems: problems) }
        return try CatalogueDeclaration(steps, source: path)
    }

    /// The step file names of `path` in order, after checking for stray files, repeats and gaps.
    public static func stepFileNames(in path: String) throws(CatalogueError) -> [FileName] {
        let (names, problems) = try listing(path)
        guard problems.isEmpty else { throw CatalogueError(problems: problems) }
        return names
    }

    /// The step file names of `path` in order, and the problems of the listing: stray files, repeats and gaps.
    private static func listing(_ path: String) throws(CatalogueError) -> (names: [FileName], problems: [CatalogueError.Problem]) {
        let files = FileManager.default
        let entries: [String]
        do {
            entries = try files.contentsOfDirectory(atPath: path)
        } catch {
            var isDirectory: ObjCBool = false
            guard files.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw CatalogueError(problems: [.directoryMissing(path: path)])
            }
            throw CatalogueError(problems: [.unreadable(path: path, reason: error.localizedDescription)])
        }
        var problems: [CatalogueError.Problem] = []
        var names: [FileName] = []
        // A directory named like a step file is found when it is read.
        for entry in entries.sorted() where !entry.hasPrefix(".") {
            if let name = FileName(entry) {
                names.append(name)
            } else {
                problems.append(.strayFile(path: filePath(entry, in: path)))
            }
        }
        names.sort { ($0.number, $0.fileName) < ($1.number, $1.fileName) }
        var missing: [Int] = []
        var previous = 0
        for (number, files) in Dictionary(grouping: names, by: \.number).sorted(by: { $0.key < $1.key }) {
            if files.count > 1 { problems.append(.duplicateNumber(number, paths: files.map { filePath($0.fileName, in: path) })) }
            missing += (previous + 1)..<number
            previous = number
        }
        if !missing.isEmpty { problems.append(.missingNumbers(missing, directory: path)) }
        return (names, problems)
    }

    private static func filePath(_ name: String, in directory: String) -> String {
        directory.hasSuffix("/") ? directory + name : directory + "/" + name
    }

    /// Reads the step file `name`: a regular file, in UTF-8.
    private static func readStep(_ name: FileName, in directory: String) throws(CatalogueError) -> Step {
        let path = filePath(name.fileName, in: directory)
        var bytes: [UInt8]
        do {
            switch try contents(of: path) {
            case .regular(let contents): bytes = contents
            case .directory: throw CatalogueError(problems: [.strayFile(path: path)])
            case .special: throw CatalogueError(problems: [.unreadable(path: path, reason: "not a regular file")])
            }
        } catch let error as CatalogueError {
            throw error
        } catch {
            throw CatalogueError(problems: [.unreadable(path: path, reason: "\(error)")])
        }
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw CatalogueError(problems: [.notUTF8(path: path, line: lineOfFirstInvalidByte(bytes))])
        }
        let header = try StepFileHeader(text, path: path)
        return Step(
            header.name ?? name.humanisedSlug, id: name.stem, critical: header.isCritical,
            transaction: !header.isNoTransaction, sql: text, origin: .file(path: path)
        )
    }

    private enum FileContents {
        case regular([UInt8])
        case directory
        /// A FIFO, a socket, a device.
        case special
    }

    /// What the file at `path` holds, through one descriptor: opened without blocking, so that a FIFO named like
    /// a step does not wait for a writer.
    private static func contents(of path: String) throws -> FileContents {
        let file = try FileDescriptor.open(FilePath(path), .readOnly, options: [.nonBlocking, .closeOnExec])
        defer { try? file.close() }
        let status = try Stat(file)
        guard status.type == .regular else { return status.type == .directory ? .directory : .special }
        var bytes = [UInt8](repeating: 0, count: Int(status.size))
        var filled = 0
        while filled < bytes.count {
            let count = try bytes.withUnsafeMutableBytes { try file.read(into: UnsafeMutableRawBufferPointer(rebasing: $0[filled...])) }
            guard count > 0 else { break }
            filled += count
        }
        return .regular(Array(bytes.prefix(filled)))
    }

    private static func lineOfFirstInvalidByte(_ bytes: [UInt8]) -> Int {
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        var consumed = 0
        while case .scalarValue(let scalar) = decoder.decode(&iterator) { consumed += UTF8.width(scalar) }
        return 1 + bytes.prefix(consumed).count { $0 == 0x0A }
    }
}

/// The `-- robot:` directives at the top of a step file.
struct StepFileHeader {
    private(set) var name: String?
    private(set) var isCritical = false
    private(set) var isNoTransaction = false

    /// The header's directives and what each means.
    static let headerDirectives = ["name", "critical", "no-transaction"]
    /// Directives a statement may carry anywhere (read by the linter), not header directives.
    static let statementDirectives = ["allow"]

    /// Reads the header of a step file's `text`: its comments before the first SQL token, as the lexer reads
    /// them (a directive-shaped line inside a block comment or a literal is none). Only the header is lexed, so a
    /// warm boot reads each file's first lines and no more; ``misplacedDirectives(in:path:)`` looks at the rest.
    init(_ text: String, path: String) throws(CatalogueError) {
        var problems: [CatalogueError.Problem] = []
        var seen: Set<String> = []
        var lexer = SQLLexer(text)
        // A lexing error ends the header here; the catalogue reports it when it lexes the whole step.
        while let token = try? lexer.next(), token.isComment {
            guard token.kind == .lineComment, let directive = Self.directive(inComment: token.text.dropFirst(2)) else { continue }
            let place = "\(path):\(token.start.line)"
            switch directive {
            case .misspelled(let written, let spelling):
                problems.append(.misspelledDirective(place: place, written: written, spelling: spelling))
            case .directive(let keyword, _) where Self.statementDirectives.contains(keyword):
                continue
            case .directive(let keyword, _) where !seen.insert(keyword).inserted:
                problems.append(.repeatedDirective(place: place, directive: "robot:\(keyword)"))
            case .directive(let keyword, let argument):
                switch keyword {
                case "name" where !argument.isEmpty: name = argument
                case "critical" where argument.isEmpty: isCritical = true
                case "no-transaction" where argument.isEmpty: isNoTransaction = true
                default: problems.append(.unknownDirective(place: place, directive: "robot:" + ([keyword, argument].filter { !$0.isEmpty }.joined(separator: " "))))
                }
            }
        }
        guard problems.isEmpty else { throw CatalogueError(problems: problems) }
    }

    /// Header directives in line comments after the first SQL token of `text` (at `firstToken`), where they would be
    /// ignored. Text inside literals and block comments is never a directive. Nothing when `text` does not lex: the
    /// catalogue reports that instead. The text is lexed only when `robot:` occurs after the header.
    static func misplacedDirectives(in text: String, after firstToken: SourceLocation, path: String) -> [CatalogueError.Problem] {
        guard ByteSearch.firstIndex(of: "robot:".utf8, in: Array(text.utf8)[firstToken.utf8Offset...]) != nil else { return [] }
        var lexer = SQLLexer(text)
        var problems: [CatalogueError.Problem] = []
        var isInHeader = true
        while let token = try? lexer.next() {
            guard token.isComment else {
                isInHeader = false
                continue
            }
            guard !isInHeader, token.kind == .lineComment,
                  case .directive(let keyword, _) = directive(inComment: token.text.dropFirst(2)),
                  !statementDirectives.contains(keyword)
            else { continue }
            problems.append(.misplacedDirective(place: "\(path):\(token.start.line)", directive: "robot:\(keyword)"))
        }
        return problems
    }

    private enum Directive {
        case directive(keyword: String, argument: String)
        /// Looks like a directive with the wrong case or spacing, such as `Robot:critical` or `robot : critical`.
        case misspelled(written: String, spelling: String)
    }

    /// The directive in a comment (what follows `--`): `robot:name Add owner email` is `("name", "Add owner email")`;
    /// `nil` for a comment that is no directive.
    private static func directive(inComment comment: Substring) -> Directive? {
        guard let colon = comment.firstIndex(of: ":"), comment[..<colon].trimmingWhitespace().lowercased() == "robot" else { return nil }
        let written = comment.trimmingWhitespace()
        let rest = comment[comment.index(after: colon)...]
        let keyword = String(rest.drop(while: \.isWhitespace).prefix { !$0.isWhitespace })
        let argument = String(rest.drop(while: \.isWhitespace).dropFirst(keyword.count).trimmingWhitespace())
        guard written.hasPrefix("robot:"), rest.first?.isWhitespace != true,
              keyword == keyword.lowercased() || !(headerDirectives + statementDirectives).contains(keyword.lowercased())
        else {
            let spelling = "robot:" + keyword.lowercased() + (argument.isEmpty ? "" : " " + argument)
            return .misspelled(written: String(written), spelling: spelling)
        }
        return .directive(keyword: keyword, argument: argument)
    }
}
