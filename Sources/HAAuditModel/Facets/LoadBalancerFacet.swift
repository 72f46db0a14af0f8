/// A load balancer: whether it balances across zones.
public struct LoadBalancerFacet: Sendable {
    /// `application`, `network`, `gateway` or `classic`.
    public var type: String
    public var crossZone: Fact<Bool>

    package init(type: String, crossZone: Fact<Bool>) {
        self.type = type
        self.crossZone = crossZone
    }
}

/// How a load balancer's target group decides an instance is healthy.
public struct TargetHealthCheckFacet: Sendable {
    public var protocolName: Fact<String>
    public var path: Fact<String>

    package init(protocolName: Fact<String>, path: Fact<String>) {
        self.protocolName = protocolName
        self.path = path
    }
}

extension LoadBalancerFacet: TopologyDescribable {
    package var topologyDescription: JSONValue {
        .object([("type", .string(type)), ("crossZone", crossZone.topologyDescription)])
    }
}

extension TargetHealthCheckFacet: TopologyDescribable {
    package var topologyDescription: JSONValue {
        .object([("protocol", protocolName.topologyDescription), ("path", path.topologyDescription)])
    }
}
