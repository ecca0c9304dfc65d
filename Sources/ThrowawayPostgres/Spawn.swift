import Foundation

/// Child processes started with posix_spawn rather than Foundation's `Process`.
///
/// `Process` on Linux learns that a child ended when a descriptor it shares with the child reaches EOF; the
/// postmaster that `pg_ctl start` leaves running inherits that descriptor, so `pg_ctl` would never be seen to
/// end. Here children inherit no descriptors beyond stdin/stdout/stderr, and we poll `waitpid` ourselves.
/// (Linux only: it relies on glibc and /proc.)
enum Spawn {
    /// Starts `arguments` in `workingDirectory` with stdin from /dev/null and stdout/stderr to `outputPath`
    /// (or /dev/null); `newSession` detaches it from our session and process group.
    static func start(
        _ arguments: [String], workingDirectory: String = "/", outputPath: String? = nil, newSession: Bool = false
    ) throws(ThrowawayClusterError) -> pid_t {
        // posix_spawn_file_actions_addchdir_np is a GNU extension Swift does not import; `sh` changes directory.
        let command = ["/bin/sh", "-c", "cd \"$0\" && exec \"$@\"", workingDirectory] + arguments
        var pid: pid_t = 0
        let status = withSpawnSettings(outputPath: outputPath ?? "/dev/null", newSession: newSession) { actions, attributes in
            withCStrings(command) { argv in posix_spawn(&pid, "/bin/sh", &actions, &attributes, argv, environ) }
        }
        guard status == 0 else {
            throw ThrowawayClusterError(
                code: .fileSystem,
                message: "Could not start \(arguments[0]): \(String(cString: strerror(status))).",
                remedy: "Check that /bin/sh exists and that the process limit is not reached."
            )
        }
        return pid
    }

    /// The exit status of `pid` if it has ended (128 + signal number when killed), collecting it; `nil` while it runs.
    static func exitStatus(of pid: pid_t) -> Int32? {
        var status: Int32 = 0
        guard waitpid(pid, &status, WNOHANG) == pid else { return nil }
        let signal = status & 0x7f
        return signal == 0 ? (status >> 8) & 0xff : 128 + signal
    }

    /// Kills `pid` and collects it.
    static func kill(_ pid: pid_t) {
        Foundation.kill(pid, SIGKILL)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
    }
}

/// glibc's `POSIX_SPAWN_SETSID` (spawn.h), which Swift does not import because it is a GNU extension.
private let spawnSetSessionFlag: Int16 = 0x80

private func withSpawnSettings(
    outputPath: String, newSession: Bool, _ body: (inout posix_spawn_file_actions_t, inout posix_spawnattr_t) -> Int32
) -> Int32 {
    var actions = posix_spawn_file_actions_t()
    var attributes = posix_spawnattr_t()
    posix_spawn_file_actions_init(&actions)
    posix_spawnattr_init(&attributes)
    defer {
        posix_spawn_file_actions_destroy(&actions)
        posix_spawnattr_destroy(&attributes)
    }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    posix_spawn_file_actions_adddup2(&actions, 1, 2)
    for descriptor in inheritedDescriptors() {
        posix_spawn_file_actions_addclose(&actions, descriptor)
    }
    if newSession {
        posix_spawnattr_setflags(&attributes, spawnSetSessionFlag)
    }
    return body(&actions, &attributes)
}

/// This process's open descriptors above stderr. Closing one that is gone by then is harmless: glibc's
/// posix_spawn ignores EBADF for close actions.
private func inheritedDescriptors() -> [Int32] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
    return names.compactMap { Int32($0) }.filter { $0 > 2 }
}

/// Runs `body` with a NULL-terminated C array of copies of `strings`.
private func withCStrings<Result>(
    _ strings: [String], _ body: ([UnsafeMutablePointer<CChar>?]) -> Result
) -> Result {
    let pointers = strings.map { strdup($0) } + [nil]
    defer { pointers.forEach { free($0) } }
    return body(pointers)
}
