/// Where instances may run.
public struct Placement: Sendable {
    /// The zones every instance is confined to, when a selector or affinity pins them.
    public var confinedZones: Fact<[String]>?
    /// Whether the author asked the scheduler to spread instances over zones (K8s only).
    public var spreadsOverZones: Fact<Bool>?
    /// Whether the author asked the scheduler to spread instances over nodes (K8s only).
    public var spreadsOverNodes: Fact<Bool>?

    package init(
        confinedZones: Fact<[String]>? = nil,
        spreadsOverZones: Fact<Bool>? = nil,
        spreadsOverNodes: Fact<Bool>? = nil
    ) {
        self.confinedZones = confinedZones
        self.spreadsOverZones = spreadsOverZones
        self.spreadsOverNodes = spreadsOverNodes
    }
}

extension Placement: TopologyDescribable {
    package var topologyDescription: JSONValue {
        var items: [(String, JSONValue)] = []
        if let confinedZones { items.append(("confinedZones", confinedZones.topologyDescription)) }
        if let spreadsOverZones { items.append(("spreadsOverZones", spreadsOverZones.topologyDescription)) }
        if let spreadsOverNodes { items.append(("spreadsOverNodes", spreadsOverNodes.topologyDescription)) }
        return .object(items)
    }
}
