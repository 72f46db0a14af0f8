/// A NAT gateway and the private subnets whose default route goes through it.
public struct NatGatewayFacet: Sendable {
    public struct RoutedSubnet: Sendable {
        public var subnet: String
        public var zone: Fact<String>
        /// The route (`0.0.0.0/0` to this gateway) that carries the subnet's traffic.
        public var route: SourceLocation
    }

    public var isRegional: Bool
    public var zone: Fact<String>?
    public var routedSubnets: [RoutedSubnet]
}

extension NatGatewayFacet: TopologyDescribable {
    var topologyDescription: JSONValue {
        .object([
            ("regional", .bool(isRegional)),
            ("zone", zone?.topologyDescription ?? .null),
            ("routedSubnets", .array(routedSubnets.map { .object([("subnet", .string($0.subnet)), ("zone", $0.zone.topologyDescription)]) })),
        ])
    }
}
