/// Sprig's `semver` and `semverCompare` over Masterminds/semver v3 rules: lenient versions
/// (`v1`, `1.2`), constraints with `||` alternatives of comma- or space-separated comparisons
/// (`=`, `!=`, `>`, `<`, `>=`, `<=`, `~`, `~>`, `^`, hyphen ranges `1.2 - 1.4`), `x`/`X`/`*`
/// wildcards and missing parts, and the pre-release rule: a version with a pre-release
/// satisfies a comparison only when the comparison's version has one too (`>=1.20.0-0`).
extension Sprig {
    static var semverFunctions: TemplateFunctions {
        table([
            // A Go *semver.Version, here a map of what its methods return.
            fn("semver", 1) { c throws(TemplateError) in
                let text = try c.string(0)
                guard let version = SemanticVersion(text) else { throw c.failure("Invalid Semantic Version") }
                return .map([
                    "Major": .uint(version.major, .uint64), "Minor": .uint(version.minor, .uint64),
                    "Patch": .uint(version.patch, .uint64), "Prerelease": .string(version.prerelease),
                    "Metadata": .string(version.metadata), "Original": .string(text),
                ])
            },
            fn("semverCompare", 2) { c throws(TemplateError) in
                let (constraintText, versionText) = (try c.string(0), try c.string(1))
                guard let constraint = SemanticConstraint(constraintText) else {
                    throw c.failure("improper constraint: \(constraintText)")
                }
                guard let version = SemanticVersion(versionText) else { throw c.failure("Invalid Semantic Version") }
                return .bool(constraint.isSatisfied(by: version))
            },
        ])
    }
}

struct SemanticVersion: Comparable {
    var major: UInt64, minor: UInt64, patch: UInt64
    var prerelease: String, metadata: String

    /// `semver.NewVersion`: `v` prefix optional, minor and patch optional.
    init?(_ text: String) {
        var rest = Substring(text)
        if rest.hasPrefix("v") { rest = rest.dropFirst() }
        (metadata, prerelease) = ("", "")
        if let plus = rest.firstIndex(of: "+") {
            metadata = String(rest[rest.index(after: plus)...])
            rest = rest[..<plus]
            guard Self.identifiersValid(metadata) else { return nil }
        }
        if let dash = rest.firstIndex(of: "-") {
            prerelease = String(rest[rest.index(after: dash)...])
            rest = rest[..<dash]
            guard Self.identifiersValid(prerelease) else { return nil }
        }
        let parts = rest.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...3).contains(parts.count), parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }) else {
            return nil
        }
        let numbers = parts.map { UInt64($0) }
        guard numbers.allSatisfy({ $0 != nil }) else { return nil }
        major = numbers[0]!
        minor = numbers.count > 1 ? numbers[1]! : 0
        patch = numbers.count > 2 ? numbers[2]! : 0
    }

    init(major: UInt64, minor: UInt64, patch: UInt64, prerelease: String) {
        (self.major, self.minor, self.patch, self.prerelease, self.metadata) = (major, minor, patch, prerelease, "")
    }

    private static func identifiersValid(_ text: String) -> Bool {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        return parts.allSatisfy { !$0.isEmpty && $0.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") } }
    }

    /// Pre-release precedence (SemVer 11): none is higher; identifiers compared in turn,
    /// numeric ones numerically and below alphanumeric ones; a shorter list is lower.
    static func < (a: Self, b: Self) -> Bool {
        if (a.major, a.minor, a.patch) != (b.major, b.minor, b.patch) {
            return (a.major, a.minor, a.patch) < (b.major, b.minor, b.patch)
        }
        return comparePrerelease(a.prerelease, b.prerelease) < 0
    }

    static func == (a: Self, b: Self) -> Bool {
        (a.major, a.minor, a.patch, a.prerelease) == (b.major, b.minor, b.patch, b.prerelease)
    }

    static func comparePrerelease(_ a: String, _ b: String) -> Int {
        if a == b { return 0 }
        if a.isEmpty { return 1 }
        if b.isEmpty { return -1 }
        let (left, right) = (a.split(separator: "."), b.split(separator: "."))
        for (x, y) in zip(left, right) where x != y {
            switch (UInt64(x), UInt64(y)) {
            case let (m?, n?): return m < n ? -1 : 1
            case (.some, nil): return -1
            case (nil, .some): return 1
            case (nil, nil): return x < y ? -1 : 1
            }
        }
        return left.count < right.count ? -1 : 1
    }
}

/// A parsed `semver.Constraints`: alternatives of all-of comparisons.
struct SemanticConstraint {
    struct Comparison {
        var operation: String
        var version: SemanticVersion
        /// Which parts were wildcards or missing (`1.x`: minor and patch; `1.2`: patch).
        var minorDirty: Bool, patchDirty: Bool, dirty: Bool
    }

    var alternatives: [[Comparison]]

    init?(_ text: String) {
        var alternatives: [[Comparison]] = []
        for segment in text.components(separatedBy: "||") {
            guard let comparisons = Self.parseSegment(segment) else { return nil }
            alternatives.append(comparisons)
        }
        self.alternatives = alternatives
    }

    func isSatisfied(by version: SemanticVersion) -> Bool {
        alternatives.contains { $0.allSatisfy { $0.check(version) } }
    }

    private static let operations = [">=", "=>", "<=", "=<", "!=", "~>", ">", "<", "=", "~", "^"]

    /// Comparisons separated by commas or spaces; an operator may be followed by spaces; a hyphen
    /// range `A - B` is `>= A, <= B`.
    private static func parseSegment(_ segment: String) -> [Comparison]? {
        let tokens = segment.split(whereSeparator: { $0 == "," || $0 == " " || $0 == "\t" }).map(String.init)
        var index = 0
        var comparisons: [Comparison] = []
        while index < tokens.count {
            if index + 2 < tokens.count, tokens[index + 1] == "-" {
                guard let low = comparison(">=", tokens[index]), let high = comparison("<=", tokens[index + 2]) else { return nil }
                comparisons += [low, high]
                index += 3
                continue
            }
            var token = tokens[index]
            let operation = operations.first { token.hasPrefix($0) } ?? ""
            token.removeFirst(operation.count)
            if token.isEmpty, !operation.isEmpty, index + 1 < tokens.count {
                index += 1
                token = tokens[index]
            }
            guard let parsed = comparison(operation, token) else { return nil }
            comparisons.append(parsed)
            index += 1
        }
        return comparisons.isEmpty ? [comparison("", "*")!] : comparisons
    }

    private static func comparison(_ operation: String, _ text: String) -> Comparison? {
        var rest = Substring(text)
        if rest.hasPrefix("v") { rest = rest.dropFirst() }
        var suffix = ""
        if let cut = rest.firstIndex(where: { $0 == "-" || $0 == "+" }) {
            suffix = String(rest[cut...])
            rest = rest[..<cut]
        }
        let parts = rest.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard (1...3).contains(parts.count) else { return nil }
        func isWild(_ part: String) -> Bool { part == "x" || part == "X" || part == "*" }
        let padded = parts + Array(repeating: "", count: 3 - parts.count)
        var (minorDirty, patchDirty, dirty) = (false, false, false)
        var numbers = padded
        if isWild(padded[0]) {
            numbers = ["0", "0", "0"]
            dirty = true
        } else if isWild(padded[1]) || padded[1].isEmpty {
            numbers = [padded[0], "0", "0"]
            (minorDirty, dirty) = (true, true)
        } else if isWild(padded[2]) || padded[2].isEmpty {
            numbers = [padded[0], padded[1], "0"]
            (patchDirty, dirty) = (true, true)
        }
        guard let version = SemanticVersion(numbers.joined(separator: ".") + suffix) else { return nil }
        return Comparison(operation: operation, version: version, minorDirty: minorDirty, patchDirty: patchDirty, dirty: dirty)
    }
}

extension SemanticConstraint.Comparison {
    func check(_ v: SemanticVersion) -> Bool {
        let c = version
        if operation == "!=" { return !equal(v) }
        // Pre-releases only satisfy comparisons that name a pre-release.
        if !v.prerelease.isEmpty, c.prerelease.isEmpty { return false }
        switch operation {
        case "", "=": return equal(v)
        case ">":
            if !dirty { return v > c }
            if v.major != c.major { return v.major > c.major }
            if minorDirty { return false }
            return v.minor > c.minor
        case "<": return v < c
        case ">=", "=>": return v >= c
        case "<=", "=<":
            if !dirty { return v <= c }
            if v.major != c.major { return v.major < c.major }
            if minorDirty { return true }
            return v.minor <= c.minor
        case "~", "~>":
            if v < c { return false }
            if c.major == 0, c.minor == 0, c.patch == 0, !minorDirty, !patchDirty { return true }
            if v.major != c.major { return false }
            return minorDirty || v.minor == c.minor
        default: // "^"
            if v < c { return false }
            if c.major > 0 || minorDirty { return v.major == c.major }
            if v.major > 0 { return false }
            if c.minor > 0 || patchDirty { return v.minor == c.minor }
            if v.minor > 0 { return false }
            return v.patch == c.patch
        }
    }

    private func equal(_ v: SemanticVersion) -> Bool {
        let c = version
        guard dirty else { return v == c }
        if v.major != c.major { return false }
        if minorDirty { return true }
        if v.minor != c.minor { return false }
        return patchDirty || v.patch == c.patch
    }
}
