import Foundation
import Subprocess
import Testing
@testable import ThrowawayPostgres

@Suite("ThrowawayCluster")
struct ThrowawayClusterTests {
    @Test("starts and accepts a TCP connection on its port")
    func startsAndAcceptsConnections() async throws {
        let cluster = try await ThrowawayCluster.start()
        defer { cluster.stop() }
        #expect(canConnect(port: cluster.port))
        #expect(FileManager.default.fileExists(atPath: "\(cluster.dataDirectory)/PG_VERSION"))
        #expect(FileManager.default.fileExists(atPath: "\(cluster.socketDirectory)/.s.PGSQL.\(cluster.port)"))
        #expect(cluster.url() == "postgres://postgres@127.0.0.1:\(cluster.port)/postgres")
        #expect(cluster.url(database: "a b") == "postgres://postgres@127.0.0.1:\(cluster.port)/a%20b")
    }

    @Test("two clusters run side by side on different ports")
    func twoClustersSideBySide() async throws {
        async let first = ThrowawayCluster.start()
        async let second = ThrowawayCluster.start()
        let clusters = try await [first, second]
        defer { clusters.forEach { $0.stop() } }
        #expect(clusters[0].port != clusters[1].port)
        #expect(clusters[0].dataDirectory != clusters[1].dataDirectory)
        #expect(clusters.allSatisfy { canConnect(port: $0.port) })
    }

    @Test("stop removes the directory, frees the port, and is idempotent")
    func stopCleansUp() async throws {
        let cluster = try await ThrowawayCluster.start()
        let root = cluster.directory.root
        cluster.stop()
        #expect(!FileManager.default.fileExists(atPath: root))
        #expect(!canConnect(port: cluster.port))
        cluster.stop()
        #expect(!FileManager.default.fileExists(atPath: root))
    }

    @Test("starts on a fixed port")
    func fixedPort() async throws {
        let port = try ThrowawayCluster.freePort()
        let cluster = try await ThrowawayCluster.start(.init(port: port, fastUnsafeDurability: false))
        defer { cluster.stop() }
        #expect(cluster.port == port)
        #expect(canConnect(port: port))
    }

    @Test("a busy fixed port is reported with the server log")
    func busyFixedPort() async throws {
        let cluster = try await ThrowawayCluster.start()
        defer { cluster.stop() }
        let error = await #expect(throws: ThrowawayClusterError.self) {
            try await ThrowawayCluster.start(.init(port: cluster.port))
        }
        #expect(error?.code == .startFailed)
        #expect(error?.description.contains("Address already in use") == true)
    }

    @Test("the reaper stops the cluster and removes its directory once the watched process is SIGKILLed")
    func reaperCleansUpAfterKilledParent() async throws {
        let cluster = try await ThrowawayCluster.start()
        defer { cluster.stop() }
        let directory = cluster.directory
        // The parent is a zombie, which `kill -0` still finds, until Subprocess reaps it as `run` returns.
        let reaper = try await Subprocess.run(.path("/bin/sleep"), arguments: ["60"], input: .none, output: .discarded, error: .discarded) { parent in
            let reaper = try await Reaper.spawn(
                watching: parent.processIdentifier.value, rootDirectory: directory.root, dataDirectory: directory.data, tools: directory.tools
            )
            #expect(FileManager.default.fileExists(atPath: directory.root))
            try parent.send(signal: .kill)
            return reaper
        }.closureResult
        defer { reaper.dismiss() }
        let deadline = ContinuousClock.now + .seconds(10)
        while FileManager.default.fileExists(atPath: directory.root), ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(!FileManager.default.fileExists(atPath: directory.root))
        #expect(!canConnect(port: cluster.port))
    }

    @Test("a tool that outlives its bound is killed and reported as timed out")
    func commandTimesOut() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("command-\(UUID())").path
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: root) }
        let command = Command(arguments: ["/bin/sh", "-c", "echo started; exec sleep 60"], workingDirectory: root, outputFile: "\(root)/out.log")
        let began = ContinuousClock.now
        let error = await #expect(throws: ThrowawayClusterError.self) { try await command.run(within: .milliseconds(500)) }
        #expect(error?.code == .timedOut)
        #expect(error?.outputTail == "started")
        #expect(ContinuousClock.now - began < .seconds(10))
    }

    @Test("cancelling the task kills the tool and throws .cancelled")
    func commandHonoursCancellation() async throws {
        let command = Command(arguments: ["/bin/sleep", "60"], workingDirectory: "/", outputFile: "/dev/null")
        let began = ContinuousClock.now
        let run = Task { try await command.run(within: .seconds(60)) }
        try await Task.sleep(for: .milliseconds(300))
        run.cancel()
        let error = await #expect(throws: ThrowawayClusterError.self) { try await run.value }
        #expect(error?.code == .cancelled)
        #expect(ContinuousClock.now - began < .seconds(10))
    }

    @Test("a tool's exit status and output are reported")
    func commandReportsStatusAndOutput() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("command-\(UUID())").path
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: root) }
        let leaked = open("/dev/null", O_RDONLY)  // without O_CLOEXEC: only Subprocess keeps it from the child
        defer { close(leaked) }
        let script = "pwd; echo to-stderr >&2; ls /proc/self/fd; exit 3"
        let outcome = try await Command(arguments: ["/bin/sh", "-c", script], workingDirectory: root, outputFile: "\(root)/out.log")
            .run(within: .seconds(10))
        #expect(outcome.status == 3)
        let lines = outcome.output.split(separator: "\n").map(String.init)
        #expect(lines.first.map { URL(fileURLWithPath: $0).resolvingSymlinksInPath().path } == URL(fileURLWithPath: root).resolvingSymlinksInPath().path)
        #expect(lines.contains("to-stderr"))
        // Only stdin, stdout, stderr and the descriptor `ls` opens on /proc/self/fd: nothing inherited.
        #expect(lines.filter { Int($0) != nil }.count <= 4)
    }

    @Test("a tool that cannot be started is reported, not waited for")
    func commandCannotStart() async throws {
        let command = Command(arguments: ["/nonexistent/initdb"], workingDirectory: "/", outputFile: "/dev/null")
        let error = await #expect(throws: ThrowawayClusterError.self) { try await command.run(within: .seconds(10)) }
        #expect(error?.code == .fileSystem)
        #expect(error?.message.hasPrefix("Could not start initdb") == true)
    }

    @Test("missing binaries give an error that says how to install PostgreSQL")
    func missingBinaries() async throws {
        let empty = FileManager.default.temporaryDirectory.appendingPathComponent("no-postgres-\(UUID())").path
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: empty) }
        let error = await #expect(throws: ThrowawayClusterError.self) {
            try await ThrowawayCluster.start(.init(binaryDirectory: empty))
        }
        #expect(error?.code == .postgresNotInstalled)
        #expect(error?.description.contains("apt-get install postgresql") == true)
    }

    @Test("freePort gives a bindable loopback port")
    func freePort() throws {
        let port = try ThrowawayCluster.freePort()
        #expect((1024...65535).contains(port))
        #expect(!canConnect(port: port))
    }
}

/// Whether a TCP connection to 127.0.0.1:`port` is accepted.
private func canConnect(port: Int) -> Bool {
    let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard descriptor >= 0 else { return false }
    defer { close(descriptor) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = UInt16(port).bigEndian
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    return withUnsafePointer(to: &address) { pointer in
        pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
        }
    }
}
