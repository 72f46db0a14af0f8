/// A load balancer: whether it balances across zones.
public struct LoadBalancerFacet: Sendable {
    /// `application`, `network`, `gateway` or `classic`.
    public var type: String
    public var crossZone: Fact<Bool>
}

/// How a load balancer's target group decides an instance is healthy.
public struct TargetHealthCheckFacet: Sendable {
    public var protocolName: Fact<String>
    public var path: Fact<String>
}

extension LoadBalancerFacet: TopologyDescribable {
    var topologyDescription: JSONValue {
        .object([("type", .string(type)), ("crossZone", crossZone.topologyDescription)])
    }
}

extension TargetHealthCheckFacet: TopologyDescribable {
    var topologyDescription: JSONValue {
        .object([("protocol", protocolName.topologyDescription), ("path", path.topologyDescription)])
    }
}
