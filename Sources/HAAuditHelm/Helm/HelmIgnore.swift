/// A chart folder's `.helmignore`, matched as Helm's pkg/ignore does: one glob a line
/// (`filepath.Match` syntax), `#` comments, a trailing `/` for folders only, a leading `/` or any
/// `/` to match the whole path (else the base name), `!` to negate. Helm's own quirk is kept: a
/// negated rule ignores every path it does not match.
struct HelmIgnore {
    private struct Rule {
        var pattern: String
        var negate: Bool
        var folderOnly: Bool
        var wholePath: Bool
    }

    private var rules: [Rule]

    /// Helm's default: hidden files under templates/.
    static let defaultRules = "templates/.?*"

    init(_ text: String) throws(ChartLoadError) {
        rules = []
        for line in (text + "\n" + Self.defaultRules).split(whereSeparator: \.isNewline) {
            var rule = String(line).helmTrimmedSpaces
            if rule.isEmpty || rule.hasPrefix("#") { continue }
            if rule.contains("**") { throw ChartLoadError(".helmignore: double-star (**) syntax is not supported") }
            let negate = rule.hasPrefix("!")
            if negate { rule.removeFirst() }
            let folderOnly = rule.hasSuffix("/")
            if folderOnly { rule.removeLast() }
            let wholePath = rule.contains("/")
            if rule.hasPrefix("/") { rule.removeFirst() }
            guard Self.match(rule, "abc") != nil else { throw ChartLoadError(".helmignore: syntax error in pattern \(rule)") }
            rules.append(Rule(pattern: rule, negate: negate, folderOnly: folderOnly, wholePath: wholePath))
        }
    }

    /// Whether `path` (relative to the chart, `/`-separated) is left out.
    func ignores(_ path: String, isFolder: Bool) -> Bool {
        guard !path.isEmpty, path != ".", path != "./" else { return false }
        let base = path.split(separator: "/").last.map(String.init) ?? path
        for rule in rules {
            let subject = rule.wholePath ? path : base
            if rule.negate {
                if rule.folderOnly && !isFolder { return true }
                if Self.match(rule.pattern, subject) != true { return true }
                continue
            }
            if rule.folderOnly && !isFolder { continue }
            if Self.match(rule.pattern, subject) == true { return true }
        }
        return false
    }

    /// Go's `filepath.Match`: `*` and `?` stop at `/`, `[...]` classes (`^` negates), `\`
    /// escapes. Nil when the pattern is malformed.
    static func match(_ pattern: String, _ name: String) -> Bool? {
        let pattern = Array(pattern), name = Array(name)
        var malformed = false
        // Bounded backtracking over the one open `*` at a time, as Go does.
        func matchFrom(_ p: Int, _ n: Int) -> Bool {
            var p = p, n = n
            while p < pattern.count {
                switch pattern[p] {
                case "*":
                    while p < pattern.count && pattern[p] == "*" { p += 1 }
                    if p == pattern.count { return !name[n...].contains("/") }
                    var i = n
                    while i <= name.count {
                        if matchFrom(p, i) { return true }
                        if i < name.count && name[i] == "/" { return false }
                        i += 1
                    }
                    return false
                case "?":
                    guard n < name.count, name[n] != "/" else { return false }
                    p += 1
                    n += 1
                case "[":
                    guard let (matched, next) = matchClass(p, n < name.count ? name[n] : nil) else {
                        malformed = true
                        return false
                    }
                    guard n < name.count, matched else { return false }
                    p = next
                    n += 1
                case "\\":
                    p += 1
                    guard p < pattern.count else {
                        malformed = true
                        return false
                    }
                    guard n < name.count, name[n] == pattern[p] else { return false }
                    p += 1
                    n += 1
                default:
                    guard n < name.count, name[n] == pattern[p] else { return false }
                    p += 1
                    n += 1
                }
            }
            return n == name.count
        }
        /// A `[...]` class at `start`: whether `character` is in it, and where the class ends.
        func matchClass(_ start: Int, _ character: Character?) -> (Bool, Int)? {
            var p = start + 1
            let negated = p < pattern.count && pattern[p] == "^"
            if negated { p += 1 }
            var matched = false
            var first = true
            while p < pattern.count && (pattern[p] != "]" || first) {
                first = false
                var low = pattern[p]
                if low == "\\" {
                    p += 1
                    guard p < pattern.count else { return nil }
                    low = pattern[p]
                }
                var high = low
                if p + 2 < pattern.count && pattern[p + 1] == "-" && pattern[p + 2] != "]" {
                    high = pattern[p + 2]
                    p += 2
                }
                if let character, low <= character && character <= high { matched = true }
                p += 1
            }
            guard p < pattern.count else { return nil }
            return (matched != negated && character != "/", p + 1)
        }
        let result = matchFrom(0, 0)
        return malformed ? nil : result
    }
}
