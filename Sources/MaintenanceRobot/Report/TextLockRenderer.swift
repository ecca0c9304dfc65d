/// The lines a step's locks add to a text report (``TextReportRenderer``).
enum TextLockRenderer {
    /// Without `verbose`, the strongest lock the step held on a relation that was there before it and held rows,
    /// when that lock was SHARE or stronger or the relation was rewritten: what live traffic would have waited for.
    /// With `verbose`, every relation, and why some locks could not be read.
    static func lines(_ locks: StepLocks?, verbose: Bool) -> [String] {
        guard let locks else { return [] }
        let indent = "           "
        guard verbose else {
            guard let relation = locks.strongestOnPopulated,
                  relation.rewritten || relation.strongestMode?.blocksWrites == true else { return [] }
            return [indent + "lock: " + describe(relation, allModes: false)]
        }
        var lines = locks.relations.map { indent + "lock: " + describe($0, allModes: true) }
        if let unobserved = locks.unobserved { lines.append(indent + "locks not read: " + unobserved) }
        return lines
    }

    /// `AccessExclusiveLock on public.tenants (table, 1200 rows), rewritten`: the strongest mode, or every mode held.
    static func describe(_ relation: LockedRelation, allModes: Bool) -> String {
        let modes = relation.modes.isEmpty ? "a lock not read"
            : allModes ? relation.modes.map(\.rawValue).joined(separator: ", ") : relation.modes[0].rawValue
        var facts = [relation.kind.rawValue]
        if !relation.existedBefore {
            facts.append("created by the step")
        } else if let rows = relation.rows {
            facts.append("\(rows) row\(rows == 1 ? "" : "s")")
        } else if relation.hasRows {
            facts.append("has rows, not counted yet")
        }
        if let held = relation.heldMilliseconds { facts.append("held \(held) ms") }
        return "\(modes) on \(relation.qualifiedName) (\(facts.joined(separator: ", ")))" + (relation.rewritten ? ", rewritten" : "")
    }
}
