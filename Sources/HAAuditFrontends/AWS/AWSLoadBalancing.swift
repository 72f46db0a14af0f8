import HAAuditModel

/// What AWS load balancers and target groups mean for availability: whether traffic crosses
/// zones, and how targets are judged healthy, with AWS's defaults. Their subnets and targets
/// are references, which the syntax that declared them resolves.
enum AWSLoadBalancing {
    static func loadBalancerV2(_ properties: some AWSResourceProperties, _ component: Component) {
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
    }

    static func classicLoadBalancer(_ properties: some AWSResourceProperties, _ component: Component) {
        component.expectsAlarm = true
        // Load balancers made through the API, as CloudFormation makes them, have cross-zone off by default.
        component.loadBalancer = LoadBalancerFacet(type: "classic", crossZone: properties.bool("CrossZone", default: false)!)
    }

    /// An HTTP or HTTPS health check, which can tell a serving target from one that only accepts connections.
    static func targetGroup(_ properties: some AWSResourceProperties, _ component: Component) {
        component.expectsAlarm = true
        if let protocolName = properties.string("HealthCheckProtocol", default: nil) ?? properties.string("Protocol", default: nil),
           let name = protocolName.value?.uppercased(), name == "HTTP" || name == "HTTPS" {
            component.targetHealthCheck = TargetHealthCheckFacet(protocolName: protocolName,
                                                                 path: properties.string("HealthCheckPath", default: "/")!)
        }
    }
}
