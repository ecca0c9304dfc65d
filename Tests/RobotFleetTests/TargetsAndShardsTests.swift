import Foundation
import MaintenanceRobot
import RobotFleet
import Testing

/// Targets files, shards and tenants' ledger schemas: no database needed.
@Suite struct TargetsAndShardsTests {
    static let secret = "s3cr3t-Pa55w0rd"

    @Test func aTargetsFileListsDatabasesAndSchemasSkippingBlankLinesAndComments() throws {
        let text = """
            # database-per-tenant
            postgres://app:\(Self.secret)@db1:5432/tenant_1

              postgresql://app@db1/tenant_2?sslmode=require\r
            # schemas of one database
            postgres://app@db2:6432/shared schema=Acme
            postgres://app@db2:6432/shared   schema="Acme ""EU"" #1"
            """
        let targets = try TargetsFile.parse(text, path: "tenants.txt", environment: ["PGPASSWORD": "from-the-environment"])
        #expect(targets.map(\.connection.database) == ["tenant_1", "tenant_2", "shared", "shared"])
        #expect(targets.map(\.tenantSchema?.name) == [nil, nil, "Acme", #"Acme "EU" #1"#])
        #expect(targets[0].connection.password == Self.secret)
        #expect(targets[1].connection.password == "from-the-environment" && targets[1].connection.tls == .require)
        #expect(targets.map(\.description) == [
            "postgres://app@db1:5432/tenant_1?sslmode=prefer",
            "postgres://app@db1:5432/tenant_2?sslmode=require",
            "postgres://app@db2:6432/shared?sslmode=prefer schema=Acme",
            #"postgres://app@db2:6432/shared?sslmode=prefer schema="Acme ""EU"" #1""#,
        ])
        // What a target's description writes, a targets file reads back.
        let reread = try TargetsFile.parse(targets.map(\.description).joined(separator: "\n"), path: "again.txt")
        #expect(reread.map(\.identity) == targets.map(\.identity))
    }

    @Test(arguments: [
        ("db1:5432/app", "tenants.txt:2: a target line starts with a postgres:// URL"),
        ("postgres://app:\(secret)@db1:99999/app", "tenants.txt:2: connection URL: The port in postgres://app:***@db1:99999/app is not a number"),
        ("postgres://app@db1/app password=\(secret)", "tenants.txt:2: unknown field 'password'"),
        ("postgres://app@db1/app \(secret)", "tenants.txt:2: unexpected text after the URL"),
        ("postgres://app@db1/app schema=", "tenants.txt:2: schema= has no name"),
        ("postgres://app@db1/app schema=\"open", "tenants.txt:2: the quoted schema name has no closing quote"),
        ("postgres://app@db1/app schema=a schema=b", "tenants.txt:2: schema= is given twice"),
        ("postgres://app@db1/app schema=\(String(repeating: "x", count: 64))", "cannot be a tenant schema name"),
        ("postgres://other@db1:5432/app", "tenants.txt:2: the same target as line 1"),
    ])
    func aBadLineIsNamedWithWhatToWriteAndNeverItsPassword(line: String, message: String) throws {
        let error = #expect(throws: FleetError.self) {
            try TargetsFile.parse("postgres://app@db1/app\n\(line)\n", path: "tenants.txt")
        }
        let text = error?.description ?? ""
        #expect(text.contains(message), "\(text)")
        #expect(!text.contains(Self.secret), "\(text)")
    }

    @Test func aMissingTargetsFileSaysSo() {
        let error = #expect(throws: FleetError.self) { try TargetsFile.read("/nonexistent/tenants.txt") }
        #expect(error?.description.hasPrefix("cannot read the targets file /nonexistent/tenants.txt") == true)
    }

    /// The shard of a target is the same in every process and release: not Swift's per-process `hashValue`.
    @Test func shardsAreStableAndTogetherTakeEveryTargetOnce() throws {
        let targets = (1...200).map { number in
            FleetTarget(connection: ConnectionSettings(host: "db", username: "app", database: "app"),
                        tenantSchema: try? TenantSchema("tenant_\(number)"))
        }
        // The first 8 bytes of SHA-256("db:5432/app\0tenant_1"): what another machine or release computes too.
        #expect(targets[0].stableHash == 0xe69d_a89e_947b_a8de)
        #expect(try (1...8).map { number in try (0..<4).first { try FleetShard(index: $0, count: 4).contains(targets[number - 1]) } }
            == [2, 3, 2, 2, 1, 2, 3, 0])
        let shards = try (0..<4).map { try FleetShard(index: $0, count: 4) }
        let taken = shards.map { shard in Fleet(targets).sharded(shard).targets.map(\.identity) }
        #expect(taken.flatMap { $0 }.sorted() == targets.map(\.identity).sorted())
        #expect(taken.allSatisfy { (30...70).contains($0.count) }, "\(taken.map(\.count))")
        #expect(try FleetShard(parsing: "3/4") == shards[3])
        for bad in ["4/4", "-1/4", "1/0", "1", "a/b", "1/4/2"] {
            #expect(throws: FleetError.self) { try FleetShard(parsing: bad) }
        }
    }

    @Test func eachTenantHasALedgerSchemaOfItsOwn() throws {
        let standard = LedgerSchema.standard
        let names = try ["acme", "Acme", "ACME", #"Acme "EU""#, String(repeating: "Ü", count: 31), String(repeating: "t", count: 63)]
            .map { standard.forTenant(try TenantSchema($0)).name }
        #expect(Set(names).count == names.count)
        #expect(names[0].hasPrefix("maintenance_robot_acme_") && names[3].hasPrefix("maintenance_robot_acme__eu__"))
        for name in names {
            #expect(try LedgerSchema(name).name == name)
            #expect(name.utf8.count <= 63)
        }
        #expect(Set(try names.map { try LedgerSchema($0).advisoryLockKey }).count == names.count)
        #expect(try LedgerSchema("custom").forTenant(TenantSchema("acme")) != standard.forTenant(TenantSchema("acme")))
    }
}
