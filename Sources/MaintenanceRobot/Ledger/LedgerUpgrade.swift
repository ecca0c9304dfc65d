extension Ledger {
    /// Brings a ledger of an older layout to ``version``; a current one is left alone. Run inside ``create(_:)``'s
    /// transaction, under the robot's lock, so two robots never upgrade at once and a failed upgrade leaves nothing.
    ///
    /// Each step moves the recorded version one up only from the version it expects, so running it again (or on a
    /// ledger another robot already upgraded) changes nothing.
    func upgrade(_ session: DatabaseSession) async throws(DatabaseError) {
        // 1 → 2: each step's locks, recorded with its ledger row.
        let upgraded = try await session.execute(
            "UPDATE \(schema.table("meta")) SET value = '2' WHERE key = 'ledger_version' AND value = '1' RETURNING value")
        if !upgraded.isEmpty {
            try await session.execute("ALTER TABLE \(schema.table("steps")) ADD COLUMN IF NOT EXISTS locks jsonb")
        }
    }

    /// Refuses a ledger whose layout is newer than `supported` (this robot's ``version``): an older robot must not
    /// write rows a newer one reads differently.
    /// - Throws: ``RobotError/ledgerTooNew(schema:found:supported:)``.
    static func checkReadable(version found: String, schema: LedgerSchema, supported: Int = version) throws(RobotError) {
        guard let foundVersion = Int(found), foundVersion <= supported else {
            throw .ledgerTooNew(schema: schema.name, found: found, supported: supported)
        }
    }
}
