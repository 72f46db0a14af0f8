import HAAuditModel

/// Networking and traffic: subnets, load balancers, target groups, NAT gateways, Route 53
/// failover records; and CloudWatch alarms.
extension CloudFormationLowering {
    mutating func subnet(_ resource: Template.Resource) -> Component {
        let component = component(resource, role: .network)
        if case .success(let zone) = subnetZone(.resource(resource.id, attribute: nil)) {
            let key = property(resource, "AvailabilityZone") ?? property(resource, "AvailabilityZoneId")
            component.zone = .known(zone, at: key.map { location($0.key) } ?? location(resource), source: "AvailabilityZone", note: key?.value.note)
        } else {
            component.zone = .unknown(at: location(resource), source: "AvailabilityZone", reason: "the subnet names no zone that can be resolved")
        }
        return component
    }

    mutating func loadBalancerV2(_ resource: Template.Resource) -> Component {
        let component = component(resource, role: .traffic)
        AWSLoadBalancing.loadBalancerV2(properties(resource), component)
        component.placement = (zones(resource, "Subnets") ?? zones(resource, "SubnetMappings")).map { Placement(confinedZones: $0) }
        return component
    }

    mutating func classicLoadBalancer(_ resource: Template.Resource) -> Component {
        let component = component(resource, role: .traffic)
        AWSLoadBalancing.classicLoadBalancer(properties(resource), component)
        component.placement = (zones(resource, "Subnets") ?? zones(resource, "AvailabilityZones", ofSubnets: false)).map { Placement(confinedZones: $0) }
        if let instances = property(resource, "Instances") {
            for target in Self.resourceIDs(instances.value.value) {
                relate(.routesTo, from: resource.id, to: target, at: location(instances.key))
            }
        }
        return component
    }

    mutating func targetGroup(_ resource: Template.Resource) -> Component {
        let component = component(resource, role: .traffic)
        AWSLoadBalancing.targetGroup(properties(resource), component)
        for target in resource.properties?["Targets"]?.items ?? [] {
            for id in target["Id"].map({ Self.resourceIDs(template.evaluate($0).value) }) ?? [] {
                relate(.routesTo, from: resource.id, to: id, at: location(target))
            }
        }
        return component
    }

    mutating func natGateway(_ resource: Template.Resource) -> Component {
        let component = component(resource, role: .traffic)
        let isRegional = property(resource, "AvailabilityMode")?.value.value.text?.lowercased() == "regional"
        if let found = property(resource, "SubnetId"), let subnet = subnetID(found.value.value) {
            relate(.runsIn, from: resource.id, to: subnet, at: location(found.key))
        }
        let zone: Fact<String>? = property(resource, "SubnetId").map { found in
            switch subnetZone(found.value.value) {
            case .success(let zone): .known(zone, at: location(found.key), source: "SubnetId")
            case .failure(let reason): .unknown(at: location(found.key), source: "SubnetId", reason: reason.message)
            }
        }
        component.natGateway = NatGatewayFacet(isRegional: isRegional, zone: zone, routedSubnets: [])
        return component
    }

    mutating func recordSet(_ resource: Template.Resource) -> Component? {
        guard let failover = property(resource, "Failover"), let role = failover.value.value.text?.uppercased() else { return nil }
        let component = component(resource, role: .traffic)
        let signal: Fact<Bool>
        if resource.properties?["AliasTarget"] != nil {
            signal = boolFact(resource, "AliasTarget", "EvaluateTargetHealth", default: false)!
        } else if let check = property(resource, "HealthCheckId") {
            signal = .known(true, at: location(check.key), source: "HealthCheckId")
        } else {
            signal = .defaulted(false, at: location(resource), source: "HealthCheckId")
        }
        component.failover = FailoverFacet(isPrimary: role == "PRIMARY", role: location(failover.key), healthSignal: signal, partner: nil)
        return component
    }

    mutating func alarm(_ resource: Template.Resource) -> Component {
        let component = component(resource, role: .control)
        let actions: Fact<[String]>
        if let found = property(resource, "AlarmActions") {
            let values: [Template.Value]
            if case .list(let items) = found.value.value { values = items } else { values = [found.value.value] }
            actions = .known(values.map(Self.describe), at: location(found.key), source: "AlarmActions", note: found.value.note)
        } else {
            actions = .defaulted([], at: location(resource), source: "AlarmActions")
        }
        let recovers = (actions.value ?? []).contains { $0.hasPrefix("arn:aws:automate:") && $0.hasSuffix(":ec2:recover") }
        component.alarm = AlarmFacet(actions: actions, actionsEnabled: boolFact(resource, "ActionsEnabled", default: true)!, recovers: recovers)
        for key in ["Dimensions", "Metrics"] {
            guard let entry = resource.properties?.entry(key) else { continue }
            for watched in template.distinctReferencedResources(in: entry.value) {
                relate(.monitors, from: resource.id, to: watched, at: location(entry.key))
            }
        }
        return component
    }

    /// An alarm action as text: the ARN, a pattern with `*` for what is known only at deploy
    /// time, or the resource it references.
    private static func describe(_ value: Template.Value) -> String {
        switch value {
        case .text(let text), .pattern(let text): text
        case .resource(let id, let attribute): attribute.map { "\(id).\($0)" } ?? id
        default: "an action resolved at deploy time"
        }
    }
}
