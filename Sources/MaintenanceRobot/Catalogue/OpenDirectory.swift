#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A step directory held open while its files are listed and read: each file is opened relative to it
/// (`openat`), without resolving the directory's path again.
final class OpenDirectory: Sendable {
    /// The directory's path as given, for messages.
    let path: String
    /// `path` ending in `/`.
    private let pathPrefix: String
    private let descriptor: Int32

    /// - Throws: ``CatalogueError/Problem/directoryMissing(path:)`` when there is no directory at `path`.
    init(_ path: String) throws(CatalogueError) {
        let descriptor = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else {
            if errno == ENOENT || errno == ENOTDIR { throw CatalogueError(problems: [.directoryMissing(path: path)]) }
            throw CatalogueError(problems: [.unreadable(path: path, reason: String(cString: strerror(errno)))])
        }
        self.path = path
        pathPrefix = path.hasSuffix("/") ? path : path + "/"
        self.descriptor = descriptor
    }

    deinit {
        close(descriptor)
    }

    /// The path of the entry `name`, for messages.
    func path(of name: String) -> String {
        pathPrefix + name
    }

    /// The names of the directory's entries and whether each is a directory (following symbolic links),
    /// read with `readdir`, which usually knows an entry's type without a `stat` per entry.
    func entries() throws(CatalogueError) -> [(name: String, isDirectory: Bool)] {
        let listing = dup(descriptor)
        guard listing >= 0, let stream = fdopendir(listing) else {
            if listing >= 0 { close(listing) }
            throw CatalogueError(problems: [.unreadable(path: path, reason: String(cString: strerror(errno)))])
        }
        defer { closedir(stream) }
        var entries: [(name: String, isDirectory: Bool)] = []
        while let entry = readdir(stream) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            guard name != ".", name != ".." else { continue }
            let type = entry.pointee.d_type
            var isDirectory = type == UInt8(DT_DIR)
            if type == UInt8(DT_UNKNOWN) || type == UInt8(DT_LNK) {
                var status = stat()
                isDirectory = fstatat(descriptor, name, &status, 0) == 0 && (status.st_mode & S_IFMT) == S_IFDIR
            }
            entries.append((name, isDirectory))
        }
        return entries
    }

    /// Reads the regular file `name` into `buffer`, which grows when the file does not fit and is otherwise
    /// reused from file to file, and returns the file's size: usually one `read` of the size `fstat` gave.
    func contents(of name: String, into buffer: inout [UInt8]) throws(CatalogueError) -> Int {
        // O_NONBLOCK: a FIFO named like a step file must not wait for a writer (it is refused just below).
        let file = name.withCString { openat(descriptor, $0, O_RDONLY | O_CLOEXEC | O_NONBLOCK) }
        guard file >= 0 else { throw unreadable(name, String(cString: strerror(errno))) }
        defer { close(file) }
        var status = stat()
        guard fstat(file, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG else { throw unreadable(name, "not a regular file") }
        let size = Int(status.st_size)
        // One byte more than the size, so that a file that grew since `fstat` is seen to go on.
        if buffer.count <= size { buffer = [UInt8](repeating: 0, count: max(size + 1, 2 * buffer.count)) }
        var filled = 0
        while true {
            if filled == buffer.count { buffer += repeatElement(0, count: buffer.count) }
            let wanted = buffer.count - filled
            let count = buffer.withUnsafeMutableBytes { buffer in read(file, buffer.baseAddress! + filled, wanted) }
            if count < 0 && errno == EINTR { continue }
            guard count >= 0 else { throw unreadable(name, String(cString: strerror(errno))) }
            filled += count
            // A short read that brought the file to the size fstat gave is its end: no read just to see 0.
            if count == 0 || (filled == size && count < wanted) { return filled }
        }
    }

    private func unreadable(_ name: String, _ reason: String) -> CatalogueError {
        CatalogueError(problems: [.unreadable(path: path(of: name), reason: reason)])
    }
}
