/// A NAT gateway and the private subnets whose default route goes through it.
public struct NatGatewayFacet: Sendable {
    public struct RoutedSubnet: Sendable {
        public var subnet: String
        public var zone: Fact<String>
        /// The route (`0.0.0.0/0` to this gateway) that carries the subnet's traffic.
        public var route: SourceLocation

        package init(subnet: String, zone: Fact<String>, route: SourceLocation) {
            self.subnet = subnet
            self.zone = zone
            self.route = route
        }
    }

    public var isRegional: Bool
    public var zone: Fact<String>?
    public var routedSubnets: [RoutedSubnet]

    package init(isRegional: Bool, zone: Fact<String>? = nil, routedSubnets: [RoutedSubnet]) {
        self.isRegional = isRegional
        self.zone = zone
        self.routedSubnets = routedSubnets
    }
}

extension NatGatewayFacet: TopologyDescribable {
    package var topologyDescription: JSONValue {
        .object([
            ("regional", .bool(isRegional)),
            ("zone", zone?.topologyDescription ?? .null),
            ("routedSubnets", .array(routedSubnets.map { .object([("subnet", .string($0.subnet)), ("zone", $0.zone.topologyDescription)]) })),
        ])
    }
}
