/// One rule's verdict on one component, as reports show it.
public struct Finding: Sendable {
    public var ruleName: String
    public var ruleCode: String
    public var category: RuleCategory
    public var severity: Severity
    public var message: String
    public var remediation: String
    public var component: ComponentReference
    public var location: SourceLocation
    public var relatedLocations: [RelatedLocation]
    public var profile: String?
    /// The author's reason when a suppression silences this finding.
    public var suppression: Suppression?
    /// Identity across runs, for baselines and SARIF (see `Fingerprint`).
    public var fingerprint: String

    public var isSuppressed: Bool { suppression != nil }
}

/// The identity of a component, as findings carry it.
public struct ComponentReference: Sendable, Hashable {
    public var id: String
    public var name: String
    public var kind: String
    public var platform: Platform
    public var namespace: String?

    public var title: String { Component.title(kind: kind, namespace: namespace, name: name) }

    init(_ component: Component) {
        id = component.id
        name = component.name
        kind = component.kind
        platform = component.platform
        namespace = component.namespace
    }
}
