/// A finding's identity across runs: the rule, the component and what tells the finding apart
/// on that component; never a line number, so that it survives edits elsewhere in the file.
/// Baselines and SARIF `partialFingerprints` ("haaudit/v1") use it.
package enum Fingerprint {
    package static let version = "haaudit/v1"
    private static let prime: UInt64 = 0x0000_0100_0000_01B3

    package static func of(rule: String, component: String, key: String) -> String {
        // FNV-1a, 64-bit, of "rule\0component\0key": stable across runs and platforms, unlike
        // Swift's seeded Hasher. A NUL byte leaves the hash as it is but for the multiplication.
        let hash = fnv(fnv(fnv(0xcbf2_9ce4_8422_2325, rule) &* prime, component) &* prime, key)
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    private static func fnv(_ hash: UInt64, _ text: String) -> UInt64 {
        var hash = hash
        for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* prime }
        return hash
    }
}
