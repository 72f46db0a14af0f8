import HAAuditModel

/// Which parameter profiles to audit (DESIGN section 7): each Service Fabric parameter file and
/// each Cloud Services `.cscfg` is a profile; `Local*` ones describe developer machines and are
/// audited only when named with `--profile`; with no other profile, the defaults are audited as
/// profile `default`.
package struct ProfileSelection: Sendable {
    /// The names given with `--profile`; empty means "every profile that is not Local".
    var requested: [String]

    static let defaultName = "default"

    /// The profiles to audit among those an application has.
    func select(from available: [String]) -> [String] {
        if !requested.isEmpty {
            let chosen = available.filter { requested.contains($0) }
            if chosen.isEmpty, requested.contains(Self.defaultName) { return [Self.defaultName] }
            return chosen
        }
        let audited = available.filter { !$0.hasPrefix("Local") }.sorted()
        return audited.isEmpty ? [Self.defaultName] : audited
    }

    package init(requested: [String]) {
        self.requested = requested
    }
}

extension Suppression {
    /// `<!-- haaudit:ignore <rule> <reason> -->` comments written directly before an element.
    static func fromComments(_ comments: [String], at location: SourceLocation) -> [String: Suppression] {
        var result: [String: Suppression] = [:]
        for comment in comments {
            let words = comment.split(whereSeparator: \.isWhitespace)
            guard words.count >= 2, words[0] == "haaudit:ignore" else { continue }
            let reason = words.dropFirst(2).joined(separator: " ")
            result[String(words[1])] = Suppression(reason: reason.isEmpty ? nil : reason, location: location)
        }
        return result
    }
}
