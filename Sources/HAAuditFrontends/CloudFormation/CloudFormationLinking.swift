import HAAuditModel

/// References between the resources of one template, once all are lowered: alarms to what
/// they watch (and recover), clusters to their instances, NAT gateways to the subnets routed
/// through them, failover records to their partners, scalable targets to their services,
/// workloads to the data stores they name, load balancers to the target groups their listeners
/// forward to.
extension CloudFormationLowering {
    mutating func link() {
        AWSAlarms.linkRecoverAlarms(relationships, components: components)
        linkClusters()
        AWSNetwork.linkNatGateways(template.resources.map(properties), components: components)
        relationships += AWSNetwork.linkFailoverPartners(order.compactMap { template.resource($0) }.map(properties), components: components)
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

    private mutating func linkClusters() {
        // Members by the cluster their DBClusterIdentifier names, in template order: one pass.
        let memberTypes = Set(AWSDataStores.clusterMemberTypes.values)
        var membersByCluster: [String: [Template.Resource]] = [:]
        for member in template.resources where memberTypes.contains(member.type) && components[member.id] != nil {
            guard let cluster = properties(member).property(["DBClusterIdentifier"])?.value.resourceID else { continue }
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

    /// Application Auto Scaling of an ECS service: its MinCapacity is the service's minimum.
    private mutating func linkScalableTargets() {
        for resource in template.resources where resource.type == "AWS::ApplicationAutoScaling::ScalableTarget" {
            let target = properties(resource)
            guard target.text("ScalableDimension") == "ecs:service:DesiredCount",
                  let resourceID = resource.properties?["ResourceId"],
                  let minimum = target.int("MinCapacity", default: nil) else { continue }
            for service in template.distinctReferencedResources(in: resourceID) where components[service]?.kind == "AWS::ECS::Service" {
                var scaled = minimum
                scaled.source = "ScalableTarget \(resource.id) MinCapacity"
                components[service]?.instances?.minimum = scaled
                let maximum = target.int("MaxCapacity", default: nil)
                components[service]?.instances?.maximum = maximum
                relate(.scales, from: resource.id, to: service, at: location(resource))
            }
        }
    }
}
