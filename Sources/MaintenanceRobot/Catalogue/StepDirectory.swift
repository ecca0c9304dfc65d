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
        let names = try stepFileNames(in: path)
        var problems: [CatalogueError.Problem] = []
        var steps: [Step] = []
        let directory = path.hasSuffix("/") ? path : path + "/"
        for read in names.concurrentMap({ name in Result { () throws(CatalogueError) in try readStep(directory + name.fileName, name: name) } }) {
            switch read {
            case .success(let step): steps.append(step)
            case .failure(let error): problems += error.problems
            }
        }
        guard problems.isEmpty else { throw CatalogueError(problems: problems) }
        return try Catalogue(steps: steps, source: path)
    }

    /// The step file names of `path` in order, after checking for stray files, repeats and gaps.
    public static func stepFileNames(in path: String) throws(CatalogueError) -> [FileName] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw CatalogueError(problems: [.directoryMissing(path: path)])
        }
        let entries = try directoryEntries(path)
        var problems: [CatalogueError.Problem] = []
        var names: [FileName] = []
        for entry in entries.sorted(by: { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }) where !entry.name.hasPrefix(".") {
            if let name = FileName(entry.name), !entry.isDirectory {
                names.append(name)
            } else {
                problems.append(.strayFile(path: (path as NSString).appendingPathComponent(entry.name)))
            }
        }
        let byNumber = Dictionary(grouping: names, by: \.number)
        for (number, files) in byNumber.sorted(by: { $0.key < $1.key }) where files.count > 1 {
            problems.append(.duplicateNumber(number, paths: files.map { (path as NSString).appendingPathComponent($0.fileName) }))
        }
        if let highest = byNumber.keys.max() {
            let missing = (1...highest).filter { byNumber[$0] == nil }
            if !missing.isEmpty { problems.append(.missingNumbers(missing, directory: path)) }
        }
        guard problems.isEmpty else { throw CatalogueError(problems: problems) }
        return names.sorted { $0.number < $1.number }
    }

    private static func readStep(_ filePath: String, name: FileName) throws(CatalogueError) -> Step {
        let text = try readUTF8(filePath)
        let header = try StepFileHeader(text: text, path: filePath)
        return Step(
            header.name ?? name.humanisedSlug, id: name.stem, critical: header.isCritical,
            transaction: !header.isNoTransaction, sql: text, origin: .file(path: filePath)
        )
    }

    private static func readUTF8(_ filePath: String) throws(CatalogueError) -> String {
        var bytes = try contents(of: filePath)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw CatalogueError(problems: [.notUTF8(path: filePath, line: lineOfFirstInvalidByte(bytes))])
        }
        return text
    }

    /// The names of a directory's entries and whether each is a directory (following symbolic links), read
    /// with `readdir`, which usually knows an entry's type without a `stat` per file.
    private static func directoryEntries(_ path: String) throws(CatalogueError) -> [(name: String, isDirectory: Bool)] {
        guard let directory = opendir(path) else {
            throw CatalogueError(problems: [.unreadable(path: path, reason: String(cString: strerror(errno)))])
        }
        defer { closedir(directory) }
        var entries: [(name: String, isDirectory: Bool)] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            guard name != ".", name != ".." else { continue }
            let type = entry.pointee.d_type
            var isDirectory = type == UInt8(DT_DIR)
            if type == UInt8(DT_UNKNOWN) || type == UInt8(DT_LNK) {
                var status = stat()
                isDirectory = stat((path as NSString).appendingPathComponent(name), &status) == 0
                    && (status.st_mode & S_IFMT) == S_IFDIR
            }
            entries.append((name, isDirectory))
        }
        return entries
    }

    /// A regular file's bytes, read into a buffer of its size (one `read`, and one more to see the end).
    private static func contents(of filePath: String) throws(CatalogueError) -> [UInt8] {
        // O_NONBLOCK: a FIFO named like a step file must not wait for a writer (it is refused just below).
        let descriptor = open(filePath, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard descriptor >= 0 else {
            throw CatalogueError(problems: [.unreadable(path: filePath, reason: String(cString: strerror(errno)))])
        }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG else {
            throw CatalogueError(problems: [.unreadable(path: filePath, reason: "not a regular file")])
        }
        var bytes = [UInt8](repeating: 0, count: Int(status.st_size) + 1)
        var filled = 0
        while true {
            if filled == bytes.count { bytes += repeatElement(0, count: bytes.count) }
            let count = bytes.withUnsafeMutableBytes { buffer in
                read(descriptor, buffer.baseAddress.map { $0 + filled }, buffer.count - filled)
            }
            if count < 0 && errno == EINTR { continue }
            guard count >= 0 else {
                throw CatalogueError(problems: [.unreadable(path: filePath, reason: String(cString: strerror(errno)))])
            }
            if count == 0 {
                bytes.removeSubrange(filled...)
                return bytes
            }
            filled += count
        }
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

    init(text: String, path: String) throws(CatalogueError) {
        var problems: [CatalogueError.Problem] = []
        var seen = Set<String>()
        var inHeader = true
        for (index, rawLine) in text.utf8.split(separator: 0x0A, omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.drop { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }
            let isComment = line.starts(with: [0x2D, 0x2D])
            if !line.isEmpty && !isComment { inHeader = false }
            guard isComment, let directive = Self.directive(in: line) else { continue }
            let place = "\(path):\(index + 1)"
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
            default: problems.append(.unknownDirective(place: place, directive: "robot:\(directive.keyword) \(directive.argument)".trimmingCharacters(in: .whitespaces)))
            }
        }
        guard problems.isEmpty else { throw CatalogueError(problems: problems) }
    }

    private static let directivePrefix = Array("robot:".utf8)

    /// `("name", "Add owner email")` for `-- robot:name Add owner email`; `nil` for any other comment line.
    private static func directive(in line: Substring.UTF8View.SubSequence) -> (keyword: String, argument: String)? {
        let comment = line.dropFirst(2).drop { $0 == 0x20 || $0 == 0x09 }
        guard comment.starts(with: directivePrefix) else { return nil }
        let body = String(decoding: comment.dropFirst(directivePrefix.count), as: UTF8.self)
        let keyword = body.prefix { !$0.isWhitespace }
        // Trimmed by hand: Foundation's trimming goes through NSString, and every step file's header is read at boot.
        let argument = body.dropFirst(keyword.count).drop { $0.isWhitespace }
        let end = argument.lastIndex { !$0.isWhitespace }.map { argument.index(after: $0) } ?? argument.startIndex
        return (String(keyword), String(argument[..<end]))
    }
}
