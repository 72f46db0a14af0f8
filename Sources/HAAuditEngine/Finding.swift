import HAAuditModel
import HAAuditRules

/// One rule's verdict on one component, as reports show it.
///
/// A reference type: a run's findings pass through several arrays and reports, and copying one
/// then costs a single reference count instead of one for each of its strings. Only the run
/// that makes it changes it (applying the configuration's ignores), before it is shared.
public final class Finding: @unchecked Sendable {
    public let ruleName: String
    public let ruleCode: String
    public let category: RuleCategory
    public let severity: Severity
    public let message: String
    public let remediation: String
    public let component: ComponentReference
    public let location: SourceLocation
    public let relatedLocations: [RelatedLocation]
    public let profile: String?
    /// The author's reason when a suppression silences this finding.
    public internal(set) var suppression: Suppression?
    /// Identity across runs, for baselines and SARIF (see `Fingerprint`).
    public let fingerprint: String

    public var isSuppressed: Bool { suppression != nil }

    init(ruleName: String, ruleCode: String, category: RuleCategory, severity: Severity, message: String,
         remediation: String, component: ComponentReference, location: SourceLocation,
         relatedLocations: [RelatedLocation], profile: String?, suppression: Suppression?, fingerprint: String) {
        self.ruleName = ruleName
        self.ruleCode = ruleCode
        self.category = category
        self.severity = severity
        self.message = message
        self.remediation = remediation
        self.component = component
        self.location = location
        self.relatedLocations = relatedLocations
        self.profile = profile
        self.suppression = suppression
        self.fingerprint = fingerprint
    }
}

/// The identity of a component, as findings carry it.
public struct ComponentReference: Sendable, Hashable {
    public var id: String
    public var name: String
    public var kind: String
    public var platform: Platform
    public var namespace: String?

    public var title: String { Component.title(kind: kind, namespace: namespace, name: name) }

    package init(_ component: Component) {
        id = component.id
        name = component.name
        kind = component.kind
        platform = component.platform
        namespace = component.namespace
    }
}
