import HAAuditModel

/// Networking and traffic: subnets, load balancers, target groups, NAT gateways, Route 53
/// failover records; and CloudWatch alarms. What each means is AWS's (`AWSLoadBalancing`,
/// `AWSNetwork`, `AWSAlarms`), read through the template.
extension CloudFormationLowering {
    mutating func subnet(_ resource: Template.Resource) -> Component {
        let component = component(resource, role: .network)
        component.zone = AWSPlacement.zone(ofSubnet: properties(resource))
        return component
    }

    mutating func loadBalancerV2(_ resource: Template.Resource) -> Component {
        let component = component(resource, role: .traffic)
        AWSLoadBalancing.loadBalancerV2(properties(resource), component, relationships: &relationships)
        return component
    }

    mutating func classicLoadBalancer(_ resource: Template.Resource) -> Component {
        let component = component(resource, role: .traffic)
        AWSLoadBalancing.classicLoadBalancer(properties(resource), component, relationships: &relationships)
        return component
    }

    mutating func targetGroup(_ resource: Template.Resource) -> Component {
        let component = component(resource, role: .traffic)
        AWSLoadBalancing.targetGroup(properties(resource), component, relationships: &relationships)
        return component
    }

    mutating func natGateway(_ resource: Template.Resource) -> Component {
        let component = component(resource, role: .traffic)
        AWSNetwork.natGateway(properties(resource), component, relationships: &relationships)
        return component
    }

    mutating func recordSet(_ resource: Template.Resource) -> Component? {
        guard let failover = AWSNetwork.failover(properties(resource)) else { return nil }
        let component = component(resource, role: .traffic)
        component.failover = failover
        return component
    }

    mutating func alarm(_ resource: Template.Resource) -> Component {
        let component = component(resource, role: .control)
        AWSAlarms.alarm(properties(resource), component, relationships: &relationships)
        return component
    }
}
