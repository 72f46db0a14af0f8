/// A finding's identity across runs: the rule, the component and what tells the finding apart
/// on that component; never a line number, so that it survives edits elsewhere in the file.
/// Baselines and SARIF `partialFingerprints` ("haaudit/v1") use it.
enum Fingerprint {
    static let version = "haaudit/v1"
    private static let prime: UInt64 = 0x0000_0100_0000_01B3

    static func of(rule: String, component: String, key: String) -> String {
        // FNV-1a, 64-bit, of "rule\0component\0key": stable across runs and platforms, unlike
        // Swift's seeded Hasher.
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for (position, part) in [rule, component, key].enumerated() {
            if position > 0 { hash = (hash ^ 0) &* prime }
            for byte in part.utf8 { hash = (hash ^ UInt64(byte)) &* prime }
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
