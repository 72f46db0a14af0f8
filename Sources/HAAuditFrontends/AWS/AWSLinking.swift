import HAAuditModel

/// References between AWS resources declared together, once all are lowered: alarms recover
/// instances, clusters count their instances, NAT gateways carry the subnets routed through
/// them, failover records find their partners, scalable targets and scaling policies scale their services and groups,
/// workloads depend on the data stores they name, load balancers route to the target groups
/// their listeners forward to, backup selections back up the data stores they select, alarms
/// find what acts on them, target groups that nothing can register targets in are told apart,
/// custom resources may set data stores' backups, functions learn what invokes them
/// asynchronously and queues that they are dead-letter queues.
enum AWSLinking {
    /// `resources`: all declared together, in the order declared; `components`: those lowered,
    /// by name.
    static func link<Properties: AWSResourceProperties>(_ resources: [Properties], components: [String: Component],
                                                        relationships: inout [AWSRelationship]) {
        AWSAlarms.linkRecoverAlarms(relationships, components: components)
        AWSAlarms.linkAlarmsBehindConditions(resources, components: components)
        AWSAlarms.linkConsumers(resources, components: components)
        AWSBackup.linkSelections(resources, components: components)
        AWSBackup.linkCustomResources(resources, components: components)
        AWSCompute.linkRedundantInstances(resources, components: components)
        relationships += linkClusters(resources, components: components)
        AWSNetwork.linkNatGateways(resources, components: components)
        relationships += AWSNetwork.linkFailoverPartners(resources.filter { components[$0.id] != nil }, components: components)
        relationships += linkScalableTargets(resources, components: components)
        linkGroupScaling(resources, components: components)
        relationships += linkDataStoreUsers(resources, components: components)
        relationships += linkListeners(resources, components: components)
        AWSLoadBalancing.linkPlaceholderTargetGroups(resources, components: components)
        AWSMessaging.link(resources, components: components)
    }

    /// A listener (or a listener rule, through its listener) forwards its load balancer's
    /// traffic to target groups.
    private static func linkListeners<Properties: AWSResourceProperties>(_ resources: [Properties], components: [String: Component]) -> [AWSRelationship] {
        func named(_ resource: Properties, _ key: String) -> [String] {
            resource.resourcesNamed(in: [key])?.ids ?? []
        }
        var relationships: [AWSRelationship] = []
        for resource in resources {
            let listeners = switch resource.type {
            case "AWS::ElasticLoadBalancingV2::Listener": [resource]
            case "AWS::ElasticLoadBalancingV2::ListenerRule": named(resource, "ListenerArn").compactMap { resource.resource($0) }
            default: [Properties]()
            }
            let balancers = listeners.flatMap { named($0, "LoadBalancerArn") }.filter { components[$0]?.role == .traffic }
            let targets = named(resource, "DefaultActions") + named(resource, "Actions")
            for balancer in Set(balancers).sorted() {
                for target in Set(targets).sorted() where components[target]?.kind == "AWS::ElasticLoadBalancingV2::TargetGroup" {
                    relationships.append(AWSRelationship(kind: .routesTo, from: balancer, to: target, at: resource.location))
                }
            }
        }
        return relationships
    }

    /// A workload that names a data store (its endpoint in a launch template's user data, in a
    /// task definition's environment) depends on it: it cannot serve while the store is down.
    private static func linkDataStoreUsers(_ resources: [some AWSResourceProperties], components: [String: Component]) -> [AWSRelationship] {
        var relationships: [AWSRelationship] = []
        for resource in resources where components[resource.id]?.workloadShape != nil {
            guard var named = resource.resourcesNamed(in: [])?.ids else { continue }
            // What it is launched from is no component of its own: look one level into it.
            for id in named where components[id] == nil {
                named += resource.resource(id)?.resourcesNamed(in: [])?.ids ?? []
            }
            for store in Set(named).sorted() where components[store]?.role == .datastore {
                relationships.append(AWSRelationship(kind: .dependsOn, from: resource.id, to: store, at: resource.location))
            }
        }
        return relationships
    }

    /// A cluster depends on its member instances; one whose failover needs them needs two.
    private static func linkClusters<Properties: AWSResourceProperties>(_ resources: [Properties], components: [String: Component]) -> [AWSRelationship] {
        // Members by the cluster their DBClusterIdentifier names, in the order declared: one pass.
        let memberTypes = Set(AWSDataStores.clusterMemberTypes.values)
        var membersByCluster: [String: [Properties]] = [:]
        for member in resources where memberTypes.contains(member.type) && components[member.id] != nil {
            guard let cluster = member.property(["DBClusterIdentifier"])?.value.resourceID else { continue }
            membersByCluster[cluster, default: []].append(member)
        }
        var relationships: [AWSRelationship] = []
        for cluster in resources {
            guard let component = components[cluster.id], let memberType = AWSDataStores.clusterMemberTypes[cluster.type] else { continue }
            let members = (membersByCluster[cluster.id] ?? []).filter { $0.type == memberType }
            for member in members {
                relationships.append(AWSRelationship(kind: .dependsOn, from: cluster.id, to: member.id, at: member.location))
            }
            guard AWSDataStores.clusterNeedsMembers(cluster) else { continue }
            let names = members.map(\.id).joined(separator: ", ")
            let count = Fact<Int>.known(members.count, at: cluster.location, source: "the number of DB instances in the cluster",
                                        note: members.isEmpty ? nil : names)
            component.standbyRequirements = [.atLeast(count, 2)]
        }
        return relationships
    }

    /// Application Auto Scaling of an ECS service: its MinCapacity is the service's minimum, and
    /// the scaling policies that name the target (or the service) move the count.
    private static func linkScalableTargets(_ resources: [some AWSResourceProperties], components: [String: Component]) -> [AWSRelationship] {
        var relationships: [AWSRelationship] = []
        let policies = resources.filter { $0.type == "AWS::ApplicationAutoScaling::ScalingPolicy" }
        for target in resources where target.type == "AWS::ApplicationAutoScaling::ScalableTarget" {
            guard target.text("ScalableDimension") == "ecs:service:DesiredCount",
                  let scaled = target.resourcesNamed(in: ["ResourceId"]) else { continue }
            let services = scaled.ids.filter { components[$0]?.kind == "AWS::ECS::Service" }
            // A policy names its target by ScalingTargetId, or the service by ResourceId.
            let acting = policies.filter { policy in
                let named = (policy.resourcesNamed(in: ["ScalingTargetId"])?.ids ?? []) + (policy.resourcesNamed(in: ["ResourceId"])?.ids ?? [])
                return named.contains(target.id) || named.contains { services.contains($0) }
            }
            let scheduled = target.objects(["ScheduledActions"])?.items ?? []
            for service in services {
                components[service]?.scaling = ScalingFacet(
                    scaler: "ScalableTarget \(target.id)", location: target.location,
                    policies: acting.map { .known($0.id, at: $0.location, source: "ScalingPolicy") },
                    scheduledActions: scheduled.map { .known($0.text("ScheduledActionName") ?? "a scheduled action", at: $0.location, source: "ScheduledActions") })
            }
            guard let minimum = target.int("MinCapacity", default: nil) else { continue }
            for service in services {
                var scaledMinimum = minimum
                scaledMinimum.source = "ScalableTarget \(target.id) MinCapacity"
                components[service]?.instances?.minimum = scaledMinimum
                components[service]?.instances?.maximum = target.int("MaxCapacity", default: nil)
                relationships.append(AWSRelationship(kind: .scales, from: target.id, to: service, at: target.location))
            }
        }
        return relationships
    }

    /// An Auto Scaling group's count moves only by the scaling policies and scheduled actions
    /// that name it (AutoScalingGroupName); without any it stays at its desired capacity, and
    /// has no scaling facet.
    private static func linkGroupScaling(_ resources: [some AWSResourceProperties], components: [String: Component]) {
        var policies: [String: [Fact<String>]] = [:], scheduled: [String: [Fact<String>]] = [:]
        for resource in resources where resource.type == "AWS::AutoScaling::ScalingPolicy" || resource.type == "AWS::AutoScaling::ScheduledAction" {
            for group in resource.resourcesNamed(in: ["AutoScalingGroupName"])?.ids ?? [] {
                let fact = Fact<String>.known(resource.id, at: resource.location, source: resource.type)
                if resource.type == "AWS::AutoScaling::ScalingPolicy" { policies[group, default: []].append(fact) } else { scheduled[group, default: []].append(fact) }
            }
        }
        for resource in resources where resource.type == "AWS::AutoScaling::AutoScalingGroup" {
            guard policies[resource.id] != nil || scheduled[resource.id] != nil else { continue }
            components[resource.id]?.scaling = ScalingFacet(scaler: "Auto Scaling group", location: resource.location,
                                                            policies: policies[resource.id] ?? [], scheduledActions: scheduled[resource.id] ?? [])
        }
    }
}
