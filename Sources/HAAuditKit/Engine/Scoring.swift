/// The score of DESIGN section 9: each evaluated component starts at 100 and loses the policy's
/// weight for each distinct unsuppressed finding on it; the overall score is their mean.
public struct Score: Sendable {
    public var overall: Int
    public var grade: String
    /// Per evaluated component, in the topology's order (files in order, documents in order).
    public var components: [(id: String, score: Int)]

    /// `evaluatedComponents` in the order the components are reported.
    init(findings: [Finding], evaluatedComponents: [String], weights: [Severity: Int]) {
        var lost: [String: Int] = [:]
        var counted: Set<Problem> = []
        var cappedAtC = false
        for finding in findings where !finding.isSuppressed {
            // The same rule firing twice at the same place is one problem, not two.
            guard counted.insert(Problem(component: finding.component.id, rule: finding.ruleName, location: finding.location)).inserted else { continue }
            lost[finding.component.id, default: 0] += weights[finding.severity] ?? 0
            if finding.severity >= .high { cappedAtC = true }
        }
        components = evaluatedComponents.map { id in (id, max(0, 100 - (lost[id] ?? 0))) }
        let total = components.reduce(0) { $0 + $1.score }
        overall = components.isEmpty ? 100 : Int((Double(total) / Double(components.count)).rounded())
        grade = Self.grade(for: overall, cappedAtC: cappedAtC)
    }

    private struct Problem: Hashable {
        var component: String
        var rule: String
        var location: SourceLocation
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
