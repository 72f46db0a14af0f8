import HAAuditModel

public enum Severity: String, Sendable, CaseIterable, Comparable {
    case info, low, medium, high, critical

    /// Its position in `allCases` (written out: findings compare severities a great deal).
    package var rank: Int {
        switch self {
        case .info: 0
        case .low: 1
        case .medium: 2
        case .high: 3
        case .critical: 4
        }
    }

    public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
}

public enum RuleCategory: String, Sendable, CaseIterable {
    case redundancy, placement, health, recovery, disruption, wiring, alarms
    /// Whether capacity follows load: autoscalers, their bounds, workloads of fixed size.
    case scaling
    /// About haaudit's own use: suppressions without reasons, names of rules that do not exist.
    case hygiene
}

/// A check written against the topology model only, so that one rule covers every platform.
public protocol Rule: Sendable {
    var description: RuleDescription { get }

    /// The rule's violations on `component`, or nil when the rule does not apply to it at all
    /// (which keeps the component out of the rule's share of the score).
    func evaluate(_ component: Component, in context: RuleContext) -> [Violation]?
}

/// What a rule needs besides the component: the whole topology, and its configured parameters.
/// A class, so that handing it to each rule for each component copies nothing.
public final class RuleContext: Sendable {
    public let topology: Topology
    public let parameters: [String: Int]

    package init(topology: Topology, parameters: [String: Int]) {
        self.topology = topology
        self.parameters = parameters
    }

    public func parameter(_ parameter: RuleParameter) -> Int {
        parameters[parameter.name] ?? parameter.defaultValue
    }
}

/// One problem a rule found on one component.
public struct Violation: Sendable {
    public var message: String
    /// The key of the wrong value, or the object that lacks a value.
    public var location: SourceLocation
    /// The other objects involved (the autoscaler, the Service, the selected workload): at most
    /// `RelatedLocation.limit` of them; `relatedOmitted` counts the others.
    public var related: [RelatedLocation]
    public var relatedOmitted: Int
    /// Set when the finding rests on a value that could not be resolved: reported at `info`.
    public var isUncertain: Bool
    /// Replaces the rule's general remediation when the fix depends on the case.
    public var remediation: String?
    /// A lower severity than the rule's for a case that harms less (a redundant group of
    /// instances that nothing replaces); never above the severity the policy sets.
    public var severityCap: Severity?
    /// The other components involved (ids): a suppression on any of them applies too.
    public var involves: [String]
    /// What tells this violation apart from the rule's others on the same component (a container
    /// name, a port): part of its fingerprint, which must not change when lines move.
    public var key: String

    /// `related` may be lazy: only the first `RelatedLocation.limit` are made.
    public init(_ message: String, at location: SourceLocation, related: some Collection<RelatedLocation> = [RelatedLocation](),
                isUncertain: Bool = false, remediation: String? = nil, involves: [String] = [], key: String = "") {
        self.message = message
        self.location = location
        self.related = Array(related.prefix(RelatedLocation.limit))
        self.relatedOmitted = related.count - self.related.count
        self.isUncertain = isUncertain
        self.remediation = remediation
        self.involves = involves
        self.key = key
    }

    /// The message, saying how many related locations were left out.
    package var fullMessage: String {
        relatedOmitted == 0 ? message : message + " (\(related.count) related locations listed, and \(relatedOmitted) more.)"
    }
}

/// The first `limit` of `items` joined by ", ", then "and k more": a message names a bounded
/// number of things however many there are.
func listed(_ items: some Collection<String>, limit: Int = RelatedLocation.limit, separator: String = ", ") -> String {
    let shown = items.prefix(limit).joined(separator: separator)
    return items.count > limit ? shown + "\(separator)and \(items.count - limit) more" : shown
}

public struct RelatedLocation: Sendable, Hashable {
    /// A finding lists at most this many; its message says how many more there are. (A Service
    /// selecting a thousand Deployments, a thousand times over, would otherwise make a report of
    /// a million locations.)
    public static let limit = 20

    public var location: SourceLocation
    public var message: String

    public init(_ message: String, at location: SourceLocation) {
        self.location = location
        self.message = message
    }
}

/// A rule's documentation and metadata. The examples are the rule's tests: each triggering
/// example must produce its finding (position and severity), each passing one must not.
public struct RuleDescription: Sendable {
    public var name: String
    public var code: String
    public var category: RuleCategory
    public var severity: Severity
    public var summary: String
    public var rationale: String
    public var remediation: String
    public var parameters: [RuleParameter]
    public var examples: [RuleExample]
    /// Limits and decisions a user should know (what does not count, what is left to other rules).
    public var notes: [String]

    public init(name: String, code: String, category: RuleCategory, severity: Severity, summary: String,
                rationale: String, remediation: String, parameters: [RuleParameter] = [],
                notes: [String] = [], examples: [RuleExample]) {
        self.name = name
        self.code = code
        self.category = category
        self.severity = severity
        self.summary = summary
        self.rationale = rationale
        self.remediation = remediation
        self.parameters = parameters
        self.notes = notes
        self.examples = examples
    }

    /// The platforms of its examples, in the order the examples first show them: what the catalog
    /// says it covers. A rule runs on every component that has the facets it needs, so this is
    /// documentation, kept true by the examples (and no list of platforms is kept anywhere).
    public var platforms: [Platform] {
        var seen: Set<Platform> = []
        // A not-applicable example shows what the rule leaves alone: it covers no platform.
        return examples.filter { $0.expectation != .notApplicable }.map(\.platform).filter { seen.insert($0).inserted }
    }
}

public struct RuleParameter: Sendable {
    public var name: String
    public var defaultValue: Int
    public var summary: String

    public init(_ name: String, default defaultValue: Int, _ summary: String) {
        self.name = name
        self.defaultValue = defaultValue
        self.summary = summary
    }
}

public struct RuleExample: Sendable {
    public enum Expectation: Sendable {
        /// The rule evaluates the example and reports `finding`.
        case triggers
        /// The rule evaluates the example and finds nothing wrong.
        case passes
        /// The rule evaluates nothing in the example: what it deliberately leaves alone.
        case notApplicable
    }

    /// Where a triggering example's finding anchors (DESIGN section 1: the key of the wrong
    /// value, or the object that lacks it), and at what severity.
    public struct ExpectedFinding: Sendable {
        public var line: Int
        public var column: Int
        /// Nil for the rule's default severity; an uncertain finding says `.info`.
        public var severity: Severity?
    }

    public var expectation: Expectation
    public var platform: Platform
    /// One line on what the example shows.
    public var title: String
    /// The file name the example is audited under (its extension picks the syntax).
    public var file: String
    public var text: String
    /// The finding a triggering example produces, in `file`.
    public var finding: ExpectedFinding?
    /// Other files the example needs (a manifest beside a parameter file), by path.
    public var context: [(path: String, text: String)]

    public static func triggers(_ platform: Platform, _ title: String, line: Int, column: Int, severity: Severity? = nil,
                                file: String = "example.yaml", _ text: String,
                                context: [(path: String, text: String)] = []) -> RuleExample {
        RuleExample(expectation: .triggers, platform: platform, title: title, file: file, text: text,
                    finding: ExpectedFinding(line: line, column: column, severity: severity), context: context)
    }

    public static func passes(_ platform: Platform, _ title: String, file: String = "example.yaml",
                              _ text: String, context: [(path: String, text: String)] = []) -> RuleExample {
        RuleExample(expectation: .passes, platform: platform, title: title, file: file, text: text, finding: nil, context: context)
    }

    public static func notApplicable(_ platform: Platform, _ title: String, file: String = "example.yaml",
                                     _ text: String, context: [(path: String, text: String)] = []) -> RuleExample {
        RuleExample(expectation: .notApplicable, platform: platform, title: title, file: file, text: text, finding: nil, context: context)
    }

    /// Every file of the example, the one it is about first.
    public var files: [(path: String, text: String)] { [(file, text)] + context }
}
