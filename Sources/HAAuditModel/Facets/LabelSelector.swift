/// A Kubernetes label selector: matchLabels and matchExpressions, all ANDed.
public struct LabelSelector: Sendable, Hashable {
    public enum Operator: String, Sendable, Hashable {
        case `in` = "In", notIn = "NotIn", exists = "Exists", doesNotExist = "DoesNotExist"
    }

    public struct Requirement: Sendable, Hashable {
        public var key: String
        public var op: Operator
        public var values: [String]

        package init(key: String, op: Operator, values: [String]) {
            self.key = key
            self.op = op
            self.values = values
        }
    }

    public var matchLabels: [String: String]
    public var requirements: [Requirement]

    public init(matchLabels: [String: String] = [:], requirements: [Requirement] = []) {
        self.matchLabels = matchLabels
        self.requirements = requirements
    }

    /// An empty selector selects everything (PDB) or nothing (Service); callers decide.
    public var isEmpty: Bool { matchLabels.isEmpty && requirements.isEmpty }

    public func matches(_ labels: [String: String]) -> Bool {
        for (key, value) in matchLabels where labels[key] != value { return false }
        for requirement in requirements {
            let value = labels[requirement.key]
            switch requirement.op {
            case .in: guard let value, requirement.values.contains(value) else { return false }
            case .notIn: if let value, requirement.values.contains(value) { return false }
            case .exists: if value == nil { return false }
            case .doesNotExist: if value != nil { return false }
            }
        }
        return true
    }

    public var description: String {
        let labels = matchLabels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        let expressions = requirements.map { requirement -> String in
            switch requirement.op {
            case .exists: requirement.key
            case .doesNotExist: "!\(requirement.key)"
            case .in, .notIn: "\(requirement.key) \(requirement.op == .in ? "in" : "notin") (\(requirement.values.joined(separator: ",")))"
            }
        }
        return (labels + expressions).joined(separator: ",")
    }
}
