import HAAuditParallel
import HAAuditRules

/// The score of DESIGN section 9: each evaluated component starts at 100 and loses the policy's
/// weight for each distinct unsuppressed finding on it; the overall score is their mean.
public struct Score: Sendable {
    public var overall: Int
    public var grade: String
    /// The distinct unsuppressed critical and high findings, by severity, when they held the grade
    /// at C although the score alone earned better; empty otherwise.
    public var capping: [Severity: Int]
    /// Per evaluated component, in the topology's order (files in order, documents in order).
    public var components: [(id: String, score: Int)]

    /// `checked`: the evaluated components, in the order they are reported, with their findings;
    /// each is scored on its own, on up to `jobs` threads.
    init(_ checked: [CheckedComponent], weights: [Severity: Int], jobs: Int = 1) {
        // By severity rank: looked up for every finding.
        let weightByRank = Severity.allCases.map { weights[$0] ?? 0 }
        let scored = parallelMap(checked, jobs: jobs, chunk: 256) { component in
            var lost = 0
            var capping: [Severity: Int] = [:]
            var counted: [Finding] = []
            for finding in component.findings where !finding.isSuppressed {
                // The same rule firing twice at the same place is one problem, not two.
                guard !counted.contains(where: { $0.ruleName == finding.ruleName && $0.location == finding.location }) else { continue }
                counted.append(finding)
                lost += weightByRank[finding.severity.rank]
                if finding.severity >= .high { capping[finding.severity, default: 0] += 1 }
            }
            return (score: max(0, 100 - lost), capping: capping)
        }
        components = zip(checked, scored).map { ($0.id, $1.score) }
        let total = components.reduce(0) { $0 + $1.score }
        overall = components.isEmpty ? 100 : Int((Double(total) / Double(components.count)).rounded())
        let cappingCounts = scored.reduce(into: [Severity: Int]()) { total, component in
            total.merge(component.capping, uniquingKeysWith: +)
        }
        grade = Self.grade(for: overall, cappedAtC: !cappingCounts.isEmpty)
        capping = grade == Self.grade(for: overall, cappedAtC: false) ? [:] : cappingCounts
    }

    static func grade(for score: Int, cappedAtC: Bool) -> String {
        let grade = switch score {
        case 90...: "A"
        case 80..<90: "B"
        case 70..<80: "C"
        case 60..<70: "D"
        default: "F"
        }
        // An unsuppressed critical or high finding caps the grade at C.
        return cappedAtC && grade < "C" ? "C" : grade
    }
}
