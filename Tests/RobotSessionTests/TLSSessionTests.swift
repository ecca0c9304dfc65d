import Foundation
import MaintenanceRobot
@testable import RobotSession
import RobotTestSupport
import Subprocess
import Testing
@testable import ThrowawayPostgres

/// Runs against its own cluster with `ssl=on` and a self-signed certificate for localhost / 127.0.0.1.
@Suite("DatabaseSession over TLS")
struct TLSSessionTests {
    @Test("notices are captured through TLS, and verify-full checks the certificate")
    func tls() async throws {
        let files = try await makeCertificate()
        defer { try? FileManager.default.removeItem(atPath: files.directory) }
        let cluster = try await ThrowawayCluster.start(.init(serverSettings: [
            "ssl": "on", "ssl_cert_file": files.certificate, "ssl_key_file": files.key,
        ]))
        defer { cluster.stop() }
        var settings = ConnectionSettings(host: cluster.host, port: cluster.port, username: "postgres", database: "postgres", tls: .require)
        let logs = CapturedLogs()
        let session = try await DatabaseSession.connect(to: settings, waitingUpTo: .seconds(10), logger: logs.logger())
        #expect(try await session.execute("SELECT ssl::text AS ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()").first?.string("ssl") == "true")
        try await session.execute("DO $$ BEGIN RAISE NOTICE 'hello %', 1; RAISE WARNING 'careful'; END $$")
        #expect(session.takeNotices().map { "\($0.severity) \($0.message)" } == ["NOTICE hello 1", "WARNING careful"])
        await session.close()

        settings.tls = .verifyFull
        settings.tlsRootCertificatePath = files.certificate
        let verified = try await DatabaseSession.connect(to: settings, waitingUpTo: .seconds(10), logger: logs.logger())
        await verified.close()

        settings.tlsRootCertificatePath = nil
        let error = await #expect(throws: ConnectionError.self) {
            try await DatabaseSession.connect(to: settings, waitingUpTo: .seconds(30), logger: logs.logger())
        }
        guard case .rejected(_, let reason) = error else { Issue.record("expected rejected, got \(String(describing: error))"); return }
        #expect(reason.contains("TLS handshake failed"))
    }

    /// A self-signed certificate and key (readable only by the server's account) made with openssl.
    private func makeCertificate() async throws -> (directory: String, certificate: String, key: String) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("robot-tls-\(UUID())").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        let (certificate, key) = ("\(directory)/server.crt", "\(directory)/server.key")
        let openssl = try await Subprocess.run(.name("openssl"), arguments: [
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost",
            "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", "-keyout", key, "-out", certificate,
        ], output: .discarded, error: .string(limit: 64 * 1024))
        try #require(openssl.terminationStatus.isSuccess, "openssl failed: \(openssl.standardError)")
        chmod(key, 0o600)
        if let account = try ServerAccount.forCurrentProcess() {
            try account.takeOwnership(of: key)
            try account.takeOwnership(of: certificate)
        }
        return (directory, certificate, key)
    }
}
