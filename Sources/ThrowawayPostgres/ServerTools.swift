import Foundation

/// The account the server runs as when this process is root (PostgreSQL refuses to run as root).
struct ServerAccount: Sendable {
    let name: String
    let uid: uid_t
    let gid: gid_t

    /// `nil` when not root; otherwise `postgres`, else `nobody`.
    static func forCurrentProcess() throws(ThrowawayClusterError) -> ServerAccount? {
        guard geteuid() == 0 else { return nil }
        for name in ["postgres", "nobody"] {
            if let entry = getpwnam(name) {
                return ServerAccount(name: name, uid: entry.pointee.pw_uid, gid: entry.pointee.pw_gid)
            }
        }
        throw ThrowawayClusterError(
            code: .noServerUser,
            message: "This process runs as root, and PostgreSQL refuses to run as root; there is no `postgres` or `nobody` user to run it as.",
            remedy: "Create a `postgres` system user (`useradd --system postgres`) or run as a non-root user."
        )
    }

    /// Hands `path` over to this account.
    func takeOwnership(of path: String) throws(ThrowawayClusterError) {
        guard chown(path, uid, gid) == 0 else {
            throw ThrowawayClusterError(
                code: .fileSystem,
                message: "Could not hand \(path) to user \(name): \(String(cString: strerror(errno))).",
                remedy: "Set TMPDIR to a directory on a local file system where root may change ownership."
            )
        }
    }
}

/// The PostgreSQL server binaries and how to invoke them (directly, or through `setpriv` or `runuser` when root).
struct ServerTools: Sendable {
    let binaryDirectory: String
    let account: ServerAccount?
    private let switchUser: [String]

    init(binaryDirectory override: String?, account: ServerAccount?) throws(ThrowawayClusterError) {
        let directory = try Self.binaryDirectory(override)
        for tool in ["initdb", "pg_ctl"] where !FileManager.default.isExecutableFile(atPath: "\(directory)/\(tool)") {
            throw Self.notInstalled(detail: "\(directory)/\(tool) is missing or not executable.")
        }
        self.binaryDirectory = directory
        self.account = account
        if let account {
            self.switchUser = try Self.switchUserPrefix(account)
        } else {
            self.switchUser = []
        }
    }

    /// The executable and arguments that run PostgreSQL's `tool` as the server account.
    func command(_ tool: String, _ arguments: [String]) -> [String] {
        switchUser + ["\(binaryDirectory)/\(tool)"] + arguments
    }

    /// The same command as one line of shell, for the reaper script.
    func shellCommand(_ tool: String, _ arguments: [String]) -> String {
        command(tool, arguments).map(shellQuoted).joined(separator: " ")
    }

    private static func binaryDirectory(_ override: String?) throws(ThrowawayClusterError) -> String {
        if let override {
            return override
        }
        if let initdb = findOnPath("initdb") {
            return URL(fileURLWithPath: initdb).resolvingSymlinksInPath().deletingLastPathComponent().path
        }
        if let newest = newestDebianBinaryDirectory() {
            return newest
        }
        throw notInstalled(detail: "initdb is not on PATH and there is no /usr/lib/postgresql/*/bin.")
    }

    private static func newestDebianBinaryDirectory() -> String? {
        let root = "/usr/lib/postgresql"
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
        return versions
            .filter { FileManager.default.isExecutableFile(atPath: "\(root)/\($0)/bin/initdb") }
            .max { $0.compare($1, options: .numeric) == .orderedAscending }
            .map { "\(root)/\($0)/bin" }
    }

    static func findOnPath(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":")
            .map { "\($0)/\(name)" }
            .first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// `setpriv` first: it becomes the tool itself (exec without fork), so a tool killed on a timeout or a
    /// cancellation is really gone; `runuser` forks, and its child would outlive it.
    static func switchUserPrefix(_ account: ServerAccount) throws(ThrowawayClusterError) -> [String] {
        if let setpriv = findOnPath("setpriv") {
            return [setpriv, "--reuid=\(account.uid)", "--regid=\(account.gid)", "--init-groups"]
        }
        if let runuser = findOnPath("runuser") ?? ["/usr/sbin/runuser", "/sbin/runuser"].first(where: FileManager.default.isExecutableFile) {
            return [runuser, "-u", account.name, "--"]
        }
        throw ThrowawayClusterError(
            code: .noServerUser,
            message: "This process runs as root, and neither `runuser` nor `setpriv` is available to run PostgreSQL as \(account.name).",
            remedy: "Install util-linux (`apt-get install util-linux`) or run as a non-root user."
        )
    }

    private static func notInstalled(detail: String) -> ThrowawayClusterError {
        ThrowawayClusterError(
            code: .postgresNotInstalled,
            message: "The PostgreSQL server binaries (initdb, pg_ctl) were not found: \(detail)",
            remedy: """
                Install PostgreSQL: `apt-get install postgresql` (Debian/Ubuntu), `dnf install postgresql-server` \
                (Fedora/RHEL), `apk add postgresql` (Alpine) or `brew install postgresql` (macOS); then put its bin \
                directory on PATH or pass Options.binaryDirectory.
                """
        )
    }
}

/// `text` quoted for POSIX sh.
func shellQuoted(_ text: String) -> String {
    "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
}
