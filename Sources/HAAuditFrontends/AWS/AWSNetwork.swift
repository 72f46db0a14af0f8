import HAAuditModel

/// What AWS networking means for availability: a NAT gateway's zone and the subnets whose
/// default route goes through it; Route 53 failover records, their health signal and partner.
enum AWSNetwork {
    static func natGateway(_ properties: some AWSResourceProperties, _ component: Component, relationships: inout [AWSRelationship]) {
        let isRegional = properties.text("AvailabilityMode")?.lowercased() == "regional"
        let zone = AWSPlacement.subnet(properties, relationships: &relationships)
        component.natGateway = NatGatewayFacet(isRegional: isRegional, zone: zone, routedSubnets: [])
    }

    /// Private route tables whose default route goes through a NAT gateway, and the subnets
    /// associated with them, among `resources` (all declared together).
    static func linkNatGateways<Properties: AWSResourceProperties>(_ resources: [Properties], components: [String: Component]) {
        var tablesByGateway: [String: [(table: String, route: Properties)]] = [:]
        var subnetsByTable: [String: [String]] = [:]
        for resource in resources {
            switch resource.type {
            case "AWS::EC2::Route":
                guard resource.text("DestinationCidrBlock") == "0.0.0.0/0",
                      let gateway = resource.property(["NatGatewayId"])?.value.resourceID,
                      let table = resource.property(["RouteTableId"])?.value.resourceID else { continue }
                tablesByGateway[gateway, default: []].append((table, resource))
            case "AWS::EC2::SubnetRouteTableAssociation":
                guard let subnet = resource.property(["SubnetId"])?.value.resourceID,
                      let table = resource.property(["RouteTableId"])?.value.resourceID else { continue }
                subnetsByTable[table, default: []].append(subnet)
            default:
                continue
            }
        }
        for (gateway, tables) in tablesByGateway {
            guard let component = components[gateway], component.natGateway != nil else { continue }
            var routed: [NatGatewayFacet.RoutedSubnet] = []
            for (table, route) in tables {
                for subnet in subnetsByTable[table] ?? [] {
                    let zone: Fact<String> = switch AWSPlacement.subnetZone(.resource(subnet, attribute: nil), in: route) {
                    case .success(let name): .known(name, at: route.location, source: "the zone of subnet \(subnet)")
                    case .failure(let reason): .unknown(at: route.location, source: "the zone of subnet \(subnet)", reason: reason.message)
                    }
                    routed.append(.init(subnet: subnet, zone: zone, route: route.location))
                }
            }
            component.natGateway?.routedSubnets = routed
        }
    }

    /// A record set with `Failover` is one half of a failover pair; its health signal is the
    /// alias target's health (off by default) or its health check.
    static func failover(_ properties: some AWSResourceProperties) -> FailoverFacet? {
        guard let failover = properties.property(["Failover"]), let role = failover.value.text?.uppercased() else { return nil }
        let signal: Fact<Bool>
        if properties.object(["AliasTarget"]) != nil {
            signal = properties.bool("AliasTarget", "EvaluateTargetHealth", default: false)!
        } else if let check = properties.property(["HealthCheckId"]) {
            signal = .known(true, at: check.key, source: "HealthCheckId")
        } else {
            signal = .defaulted(false, at: properties.location, source: "HealthCheckId")
        }
        return FailoverFacet(isPrimary: role == "PRIMARY", role: failover.key, healthSignal: signal, partner: nil)
    }

    /// A PRIMARY record's partner is the SECONDARY record with the same name and type, among
    /// `records` (in the order they are declared).
    static func linkFailoverPartners(_ records: [some AWSResourceProperties], components: [String: Component]) -> [AWSRelationship] {
        func key(_ record: some AWSResourceProperties) -> String? {
            guard let name = record.text("Name"), let type = record.text("Type") else { return nil }
            let normalized = name.lowercased().hasSuffix(".") ? String(name.lowercased().dropLast()) : name.lowercased()
            return "\(normalized) \(type)"
        }
        let secondaries = Dictionary(records.compactMap { record -> (String, String)? in
            guard components[record.id]?.failover?.isPrimary == false, let key = key(record) else { return nil }
            return (key, record.id)
        }, uniquingKeysWith: { first, _ in first })
        var relationships: [AWSRelationship] = []
        for record in records {
            guard let primary = components[record.id], primary.failover?.isPrimary == true,
                  let key = key(record), let partner = secondaries[key] else { continue }
            primary.failover?.partner = components[partner]?.id
            relationships.append(AWSRelationship(kind: .dependsOn, from: record.id, to: partner, at: primary.location))
        }
        return relationships
    }
}
