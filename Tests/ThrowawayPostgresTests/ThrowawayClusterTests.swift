import Foundation
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
        // Not Foundation's Process: on Linux it has been seen to close a descriptor NIO had reused meanwhile.
        let parent = try Spawn.start(["/bin/sleep", "60"])
        let directory = cluster.directory
        let reaper = try Reaper.spawn(
            watching: parent, rootDirectory: directory.root, dataDirectory: directory.data, tools: directory.tools
        )
        defer { reaper.dismiss() }
        #expect(FileManager.default.fileExists(atPath: directory.root))
        Spawn.kill(parent)
        let deadline = ContinuousClock.now + .seconds(10)
        while FileManager.default.fileExists(atPath: directory.root), ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(!FileManager.default.fileExists(atPath: directory.root))
        #expect(!canConnect(port: cluster.port))
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
