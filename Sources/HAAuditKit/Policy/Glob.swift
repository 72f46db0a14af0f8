/// Path globs as `.gitignore` users write them: `*` and `?` within one path segment, `**` for any
/// number of segments (`deploy/**/dev-*.yaml`).
struct Glob: Sendable {
    /// The pattern's segments, as characters once rather than at every match.
    private let segments: [[Character]]

    init(_ pattern: String) {
        segments = pattern.split(separator: "/", omittingEmptySubsequences: true).map(Array.init)
    }

    func matches(_ path: String) -> Bool {
        Self.match(segments[...], path.split(separator: "/", omittingEmptySubsequences: true)[...])
    }

    private static func match(_ pattern: ArraySlice<[Character]>, _ path: ArraySlice<Substring>) -> Bool {
        guard let first = pattern.first else { return path.isEmpty }
        if first == ["*", "*"] {
            // Zero segments, or one more and try again.
            if match(pattern.dropFirst(), path) { return true }
            return !path.isEmpty && match(pattern, path.dropFirst())
        }
        guard let segment = path.first, matchSegment(first, Array(segment)) else { return false }
        return match(pattern.dropFirst(), path.dropFirst())
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
