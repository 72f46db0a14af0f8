import HAAuditModel

/// What AWS load balancers and target groups mean for availability: their zones, whether traffic
/// crosses zones, what they route to and how targets are judged healthy, with AWS's defaults.
enum AWSLoadBalancing {
    static func loadBalancerV2(_ properties: some AWSResourceProperties, _ component: Component, relationships: inout [AWSRelationship]) {
        component.expectsAlarm = true
        let type = properties.text("Type") ?? "application"
        // Cross-zone load balancing is always on for ALBs; "the default for Network Load
        // Balancers and Gateway Load Balancers is false".
        let crossZone: Fact<Bool>
        if type == "application" {
            crossZone = .known(true, at: properties.location, source: "cross-zone load balancing (always on for an ALB)")
        } else {
            let key = "load_balancing.cross_zone.enabled"
            crossZone = properties.boolAttribute("LoadBalancerAttributes", key)
                ?? .defaulted(false, at: properties.location, source: "LoadBalancerAttributes \(key)")
        }
        component.loadBalancer = LoadBalancerFacet(type: type, crossZone: crossZone)
        let zones = AWSPlacement.subnetZones(properties, "Subnets", relationships: &relationships)
            ?? AWSPlacement.subnetZones(properties, "SubnetMappings", relationships: &relationships)
        // AWS rejects an Application Load Balancer with subnets in fewer than two zones: unknown zones are two or more.
        if type == "application", zones?.value == nil { return }
        component.placement = zones.map { Placement(confinedZones: $0) }
    }

    static func classicLoadBalancer(_ properties: some AWSResourceProperties, _ component: Component, relationships: inout [AWSRelationship]) {
        component.expectsAlarm = true
        // Load balancers made through the API, as CloudFormation makes them, have cross-zone off by default.
        component.loadBalancer = LoadBalancerFacet(type: "classic", crossZone: properties.bool("CrossZone", default: false)!)
        component.placement = (AWSPlacement.subnetZones(properties, "Subnets", relationships: &relationships)
            ?? AWSPlacement.zoneNames(properties, "AvailabilityZones")).map { Placement(confinedZones: $0) }
        // Connection draining is off unless ConnectionDrainingPolicy enables it (Timeout default 300).
        let draining = properties.bool("ConnectionDrainingPolicy", "Enabled", default: false)!
        if draining.value == true {
            component.connectionDraining = properties.int("ConnectionDrainingPolicy", "Timeout", default: 300)
        } else {
            var off = draining.map { _ in 0 }
            off.source = "the connection draining timeout (ConnectionDrainingPolicy)"
            if draining.certainty == .known { off.note = "Enabled is false" }
            component.connectionDraining = off
        }
        if let instances = properties.property(["Instances"]) {
            for target in instances.value.resourceIDs {
                relationships.append(AWSRelationship(kind: .routesTo, from: properties.id, to: target, at: instances.key))
            }
        }
    }

    /// An HTTP or HTTPS health check, which can tell a serving target from one that only accepts connections.
    static func targetGroup(_ properties: some AWSResourceProperties, _ component: Component, relationships: inout [AWSRelationship]) {
        component.expectsAlarm = true
        if let protocolName = properties.string("HealthCheckProtocol", default: nil) ?? properties.string("Protocol", default: nil),
           let name = protocolName.value?.uppercased(), name == "HTTP" || name == "HTTPS" {
            component.targetHealthCheck = TargetHealthCheckFacet(protocolName: protocolName,
                                                                 path: properties.string("HealthCheckPath", default: "/")!)
        }
        // A Lambda target has no connections to drain.
        if properties.text("TargetType") != "lambda" {
            let key = "deregistration_delay.timeout_seconds"
            component.connectionDraining = intAttribute(properties, "TargetGroupAttributes", key)
                ?? .defaulted(300, at: properties.location, source: "TargetGroupAttributes \(key)")
        }
        for target in properties.objects(["Targets"])?.items ?? [] {
            for id in target.property(["Id"])?.value.resourceIDs ?? [] {
                relationships.append(AWSRelationship(kind: .routesTo, from: properties.id, to: id, at: target.location))
            }
        }
    }

    /// An entry of a list of `Key`/`Value` attributes, as a whole number; nil where the list has no such key.
    private static func intAttribute(_ properties: some AWSResourceProperties, _ list: String, _ key: String) -> Fact<Int>? {
        for item in properties.objects([list])?.items ?? [] where item.text("Key") == key {
            guard var value = item.int("Value", default: nil) else { continue }
            value.source = "\(list) \(key)"
            return value
        }
        return nil
    }

    /// A target group with no `Targets` that nothing declared alongside names but listeners
    /// (their default action needs one) and that no output hands on: nothing can register
    /// targets in it (an Auto Scaling group, an ECS service, a listener rule, another stack
    /// would name it), so there is nothing behind it to watch or health-check.
    static func linkPlaceholderTargetGroups(_ resources: [some AWSResourceProperties], components: [String: Component]) {
        let groups = resources.filter { $0.type == "AWS::ElasticLoadBalancingV2::TargetGroup" && components[$0.id] != nil && !$0.isSet("Targets") }
        guard let first = groups.first else { return }
        // Outputs are the template's: any resource of it can tell them.
        var named = Set(first.resourcesHandedOn())
        for resource in resources where resource.type != "AWS::ElasticLoadBalancingV2::Listener" {
            named.formUnion(resource.resourcesNamed(in: [])?.ids ?? [])
        }
        for group in groups where !named.contains(group.id) {
            components[group.id]?.nothingToWatch = .known(
                "a target group with no Targets that only listeners name and no output hands on: nothing can register targets in it",
                at: group.location, source: "references to \(group.id)")
        }
    }
}
