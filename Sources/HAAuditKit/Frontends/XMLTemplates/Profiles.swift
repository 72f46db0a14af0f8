/// Which parameter profiles to audit (DESIGN section 7): each Service Fabric parameter file and
/// each Cloud Services `.cscfg` is a profile; `Local*` ones describe developer machines and are
/// audited only when named with `--profile`; with no other profile, the defaults are audited as
/// profile `default`.
struct ProfileSelection: Sendable {
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

/// Folder arithmetic on the paths reports show, which is how the XML frontends find the
/// parameter files and configurations that belong together.
enum PathParts {
    static func directory(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "" }
        return String(path[..<slash])
    }

    static func fileName(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return path }
        return String(path[path.index(after: slash)...])
    }

    /// The file name without its extension: the profile a parameter file stands for.
    static func stem(_ path: String) -> String {
        let name = fileName(path.replacingBackslashes())
        guard let dot = name.lastIndex(of: ".") else { return name }
        return String(name[..<dot])
    }
}

extension String {
    /// Windows paths (`..\\ApplicationParameters\\Cloud.xml`) as forward-slash paths.
    func replacingBackslashes() -> String {
        String(map { $0 == "\\" ? "/" : $0 })
    }
}
