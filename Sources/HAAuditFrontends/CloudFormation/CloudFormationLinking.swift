import HAAuditModel

/// References between the resources of one template, once all are lowered: alarms to what
/// they watch (and recover), clusters to their instances, NAT gateways to the subnets routed
/// through them, failover records to their partners, scalable targets to their services,
/// workloads to the data stores they name, load balancers to the target groups their listeners
/// forward to.
extension CloudFormationLowering {
    mutating func link() {
        linkRecoverAlarms()
        linkClusters()
        linkNatGateways()
        linkFailoverPartners()
        linkScalableTargets()
        linkDataStoreUsers()
        linkListeners()
    }

    /// A listener (or a listener rule, through its listener) forwards its load balancer's
    /// traffic to target groups.
    private mutating func linkListeners() {
        func named(_ resource: Template.Resource, _ key: String) -> [String] {
            resource.properties?[key].map { template.referencedResources(in: $0) } ?? []
        }
        for resource in template.resources {
            let listeners = switch resource.type {
            case "AWS::ElasticLoadBalancingV2::Listener": [resource]
            case "AWS::ElasticLoadBalancingV2::ListenerRule": named(resource, "ListenerArn").compactMap { template.resource($0) }
            default: [Template.Resource]()
            }
            let balancers = listeners.flatMap { named($0, "LoadBalancerArn") }.filter { components[$0]?.role == .traffic }
            let targets = named(resource, "DefaultActions") + named(resource, "Actions")
            for balancer in Set(balancers).sorted() {
                for target in Set(targets).sorted() where components[target]?.kind == "AWS::ElasticLoadBalancingV2::TargetGroup" {
                    relate(.routesTo, from: balancer, to: target, at: location(resource))
                }
            }
        }
    }

    /// A workload that names a data store (its endpoint in a launch template's user data, in a
    /// task definition's environment) depends on it: it cannot serve while the store is down.
    private mutating func linkDataStoreUsers() {
        for resource in template.resources where components[resource.id]?.workloadShape != nil {
            guard let properties = resource.properties else { continue }
            var named = template.referencedResources(in: properties)
            // What it is launched from is no component of its own: look one level into it.
            for id in named where components[id] == nil {
                if let source = template.resource(id)?.properties { named += template.referencedResources(in: source) }
            }
            for store in Set(named).sorted() where components[store]?.role == .datastore {
                relate(.dependsOn, from: resource.id, to: store, at: location(resource))
            }
        }
    }

    private mutating func linkRecoverAlarms() {
        for relationship in relationships where relationship.kind == .monitors {
            guard let alarm = components[relationship.from], alarm.alarm?.recovers == true,
                  components[relationship.to]?.kind == "AWS::EC2::Instance" else { continue }
            components[relationship.to]?.recovery = .known(.controller("CloudWatch recover alarm \(alarm.name)"), at: alarm.location,
                                                            source: "recover alarm \(alarm.name)")
        }
    }

    private mutating func linkClusters() {
        // Members by the cluster their DBClusterIdentifier names, in template order: one pass.
        let memberTypes = Set(AWSDataStores.clusterMemberTypes.values)
        var membersByCluster: [String: [Template.Resource]] = [:]
        for member in template.resources where memberTypes.contains(member.type) && components[member.id] != nil {
            guard case .resource(let cluster, nil)? = property(member, "DBClusterIdentifier")?.value.value else { continue }
            membersByCluster[cluster, default: []].append(member)
        }
        for cluster in template.resources where components[cluster.id] != nil {
            guard let memberType = AWSDataStores.clusterMemberTypes[cluster.type] else { continue }
            let members = (membersByCluster[cluster.id] ?? []).filter { $0.type == memberType }
            for member in members {
                relate(.dependsOn, from: cluster.id, to: member.id, at: location(member))
            }
            guard AWSDataStores.clusterNeedsMembers(properties(cluster)) else { continue }
            let names = members.map(\.id).joined(separator: ", ")
            let count = Fact<Int>.known(members.count, at: location(cluster), source: "the number of DB instances in the cluster",
                                        note: members.isEmpty ? nil : names)
            components[cluster.id]?.standbyRequirements = [.atLeast(count, 2)]
        }
    }

    /// Private route tables whose default route goes through a NAT gateway, and the subnets
    /// associated with them.
    private mutating func linkNatGateways() {
        var tablesByGateway: [String: [(table: String, route: SourceLocation)]] = [:]
        var subnetsByTable: [String: [String]] = [:]
        for resource in template.resources {
            switch resource.type {
            case "AWS::EC2::Route":
                guard property(resource, "DestinationCidrBlock")?.value.value.text == "0.0.0.0/0",
                      case .resource(let gateway, nil)? = property(resource, "NatGatewayId")?.value.value,
                      case .resource(let table, nil)? = property(resource, "RouteTableId")?.value.value else { continue }
                tablesByGateway[gateway, default: []].append((table, location(resource)))
            case "AWS::EC2::SubnetRouteTableAssociation":
                guard case .resource(let subnet, nil)? = property(resource, "SubnetId")?.value.value,
                      case .resource(let table, nil)? = property(resource, "RouteTableId")?.value.value else { continue }
                subnetsByTable[table, default: []].append(subnet)
            default:
                continue
            }
        }
        for (gateway, tables) in tablesByGateway where components[gateway]?.natGateway != nil {
            var routed: [NatGatewayFacet.RoutedSubnet] = []
            for (table, route) in tables {
                for subnet in subnetsByTable[table] ?? [] {
                    let zone: Fact<String> = switch subnetZone(.resource(subnet, attribute: nil)) {
                    case .success(let name): .known(name, at: route, source: "the zone of subnet \(subnet)")
                    case .failure(let reason): .unknown(at: route, source: "the zone of subnet \(subnet)", reason: reason.message)
                    }
                    routed.append(.init(subnet: subnet, zone: zone, route: route))
                }
            }
            components[gateway]?.natGateway?.routedSubnets = routed
        }
    }

    /// A PRIMARY record's partner is the SECONDARY record with the same name and type.
    private mutating func linkFailoverPartners() {
        func key(_ id: String) -> String? {
            guard let resource = template.resource(id), let name = property(resource, "Name")?.value.value.text,
                  let type = property(resource, "Type")?.value.value.text else { return nil }
            let normalized = name.lowercased().hasSuffix(".") ? String(name.lowercased().dropLast()) : name.lowercased()
            return "\(normalized) \(type)"
        }
        let secondaries = Dictionary(order.compactMap { id -> (String, String)? in
            guard components[id]?.failover?.isPrimary == false, let key = key(id) else { return nil }
            return (key, id)
        }, uniquingKeysWith: { first, _ in first })
        for id in order where components[id]?.failover?.isPrimary == true {
            guard let key = key(id), let partner = secondaries[key] else { continue }
            let partnerID = components[partner]?.id
            components[id]?.failover?.partner = partnerID
            relate(.dependsOn, from: id, to: partner, at: components[id]!.location)
        }
    }

    /// Application Auto Scaling of an ECS service: its MinCapacity is the service's minimum.
    private mutating func linkScalableTargets() {
        for resource in template.resources where resource.type == "AWS::ApplicationAutoScaling::ScalableTarget" {
            guard property(resource, "ScalableDimension")?.value.value.text == "ecs:service:DesiredCount",
                  let resourceID = resource.properties?["ResourceId"],
                  let minimum = intFact(resource, "MinCapacity", default: nil) else { continue }
            for service in template.distinctReferencedResources(in: resourceID) where components[service]?.kind == "AWS::ECS::Service" {
                var scaled = minimum
                scaled.source = "ScalableTarget \(resource.id) MinCapacity"
                components[service]?.instances?.minimum = scaled
                let maximum = intFact(resource, "MaxCapacity", default: nil)
                components[service]?.instances?.maximum = maximum
                relate(.scales, from: resource.id, to: service, at: location(resource))
            }
        }
    }
}
