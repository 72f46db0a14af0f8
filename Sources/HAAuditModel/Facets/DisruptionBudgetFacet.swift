/// A PodDisruptionBudget.
public struct DisruptionBudgetFacet: Sendable {
    public var selector: LabelSelector
    public var selectorLocation: SourceLocation
    public var minAvailable: Fact<IntOrPercent>?
    public var maxUnavailable: Fact<IntOrPercent>?
    /// When the selector selects nothing in its own namespace: what it would select in others.
    public var matchesInOtherNamespaces: [String] = []

    package init(
        selector: LabelSelector,
        selectorLocation: SourceLocation,
        minAvailable: Fact<IntOrPercent>? = nil,
        maxUnavailable: Fact<IntOrPercent>? = nil,
        matchesInOtherNamespaces: [String] = []
    ) {
        self.selector = selector
        self.selectorLocation = selectorLocation
        self.minAvailable = minAvailable
        self.maxUnavailable = maxUnavailable
        self.matchesInOtherNamespaces = matchesInOtherNamespaces
    }
}

extension DisruptionBudgetFacet: TopologyDescribable {
    package var topologyDescription: JSONValue {
        var items: [(String, JSONValue)] = [("selector", .string(selector.description))]
        if let minAvailable { items.append(("minAvailable", minAvailable.topologyDescription)) }
        if let maxUnavailable { items.append(("maxUnavailable", maxUnavailable.topologyDescription)) }
        return .object(items)
    }
}
