/// Why something under the scanned paths was not audited; the summary counts each reason.
public enum SkipReason: String, Sendable, CaseIterable {
    /// Helm charts, not rendered yet.
    case charts
    /// Kustomization roots that could not be rendered: their files were scanned as they are.
    case kustomizationsNotRendered
    /// Paths the configuration's `exclude:` matches.
    case excluded
    /// `node_modules`, `vendor`, `testdata`, `.terraform` and hidden folders.
    case defaultExcludes
    /// Paths git ignores, inside a git work tree.
    case gitIgnored
    /// Files that parse but hold no manifest of a supported platform.
    case notManifests
    /// Files that do not parse and do not look like manifests.
    case unparseable
    /// Files with nothing but whitespace and comments.
    case empty
    /// Workload documents that lack what the API requires of the object (a selector, pod labels):
    /// patches of an overlay, not objects.
    case patchFragments
}

/// How many units, files or folders were skipped, by reason.
public struct SkipCounts: Sendable, Equatable {
    private var counts: [SkipReason: Int] = [:]

    public init() {}

    public subscript(reason: SkipReason) -> Int {
        get { counts[reason] ?? 0 }
        set { counts[reason] = newValue }
    }

    public var total: Int { counts.values.reduce(0, +) }

    /// The reasons with a count, in `SkipReason` order.
    public var nonZero: [(reason: SkipReason, count: Int)] {
        SkipReason.allCases.compactMap { reason in counts[reason].flatMap { $0 > 0 ? (reason, $0) : nil } }
    }

    public mutating func add(_ other: SkipCounts) {
        counts.merge(other.counts, uniquingKeysWith: +)
    }
}

extension SkipReason {
    /// How the text summary says `count` of them.
    public func described(_ count: Int) -> String {
        switch self {
        case .charts: counted(count, "Helm chart") + " not rendered"
        case .kustomizationsNotRendered: counted(count, "kustomization") + " not rendered (scanned as written)"
        case .excluded: "\(count) excluded by the configuration"
        case .defaultExcludes: "\(count) by default excludes"
        case .gitIgnored: "\(count) ignored by git"
        case .notManifests: counted(count, "file") + (count == 1 ? " not a manifest" : " not manifests")
        case .unparseable: counted(count, "unparseable file")
        case .empty: counted(count, "empty file")
        case .patchFragments: counted(count, "patch fragment") + " (a workload with no selector, and no pod labels or a container without an image)"
        }
    }
}
