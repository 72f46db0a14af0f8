import HAAuditReaders

/// Path globs as `.gitignore` users write them: `*` and `?` within one path segment, `**` for any
/// number of segments (`deploy/**/dev-*.yaml`).
package struct Glob: Sendable {
    /// The pattern's segments, as characters once rather than at every match; consecutive `**`
    /// are one (they match the same paths).
    private let segments: [[Character]]

    package init(_ pattern: String) {
        var segments: [[Character]] = []
        for segment in pattern.split(separator: "/", omittingEmptySubsequences: true).map(Array.init) {
            if segment == Self.anySegments && segments.last == Self.anySegments { continue }
            segments.append(segment)
        }
        self.segments = segments
    }

    private static let anySegments: [Character] = ["*", "*"]

    /// One segment (`templates`, `*-fixtures`): in `exclude:` such a pattern names a folder anywhere.
    package var isBareName: Bool { segments.count == 1 && segments[0] != Self.anySegments }

    /// Whether the last segment of `path` matches a one-segment pattern.
    package func matchesName(of path: String) -> Bool {
        isBareName && Self.matchSegment(segments[0], Array(PathParts.fileName(path)))
    }

    /// One pass over the pattern, keeping the set of path positions its prefix can end at: at
    /// most (pattern segments x path segments) segment matches, where trying every split for each
    /// `**` in turn took exponential time (`**/**/.../x` against a deep path).
    package func matches(_ path: String) -> Bool {
        let parts = path.split(separator: "/", omittingEmptySubsequences: true).map(Array.init)
        var reachable = [Bool](repeating: false, count: parts.count + 1)
        reachable[0] = true
        for segment in segments {
            var next = [Bool](repeating: false, count: parts.count + 1)
            if segment == Self.anySegments {
                // Zero or more segments: every position at or after a reachable one.
                var seen = false
                for position in next.indices {
                    seen = seen || reachable[position]
                    next[position] = seen
                }
            } else {
                for position in parts.indices where reachable[position] && Self.matchSegment(segment, parts[position]) {
                    next[position + 1] = true
                }
            }
            guard next.contains(true) else { return false }
            reachable = next
        }
        return reachable[parts.count]
    }

    /// `*` and `?` within a segment, by backtracking over the last `*`.
    private static func matchSegment(_ pattern: [Character], _ text: [Character]) -> Bool {
        var p = 0, t = 0
        var star: Int?
        var resume = 0
        while t < text.count {
            if p < pattern.count, pattern[p] == "?" || pattern[p] == text[t] {
                p += 1
                t += 1
            } else if p < pattern.count, pattern[p] == "*" {
                star = p
                resume = t
                p += 1
            } else if let star {
                p = star + 1
                resume += 1
                t = resume
            } else {
                return false
            }
        }
        while p < pattern.count, pattern[p] == "*" { p += 1 }
        return p == pattern.count
    }
}
