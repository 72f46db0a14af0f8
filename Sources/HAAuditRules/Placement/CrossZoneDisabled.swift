import HAAuditModel

/// A load balancer that keeps each zone's traffic in that zone.
public struct CrossZoneDisabled: Rule {
    public init() {}

    public let description = RuleDescription(
        name: "cross-zone-disabled",
        code: "HA205",
        category: .placement,
        severity: .low,
        summary: "A Network, Gateway or Classic load balancer has cross-zone load balancing off.",
        rationale: """
            Without cross-zone load balancing, each load balancer node sends traffic only to \
            targets in its own zone. When a zone loses most of its targets, its share of the \
            traffic still goes to the few that are left, and they overload while other zones idle.
            """,
        remediation: "Turn it on: for an NLB or GWLB the attribute `load_balancing.cross_zone.enabled: 'true'`, for a Classic load balancer `CrossZone: true`.",
        notes: ["Cross-zone load balancing is off by default for Network and Gateway Load Balancers and for Classic load balancers created through the API (as CloudFormation does); it is always on for Application Load Balancers."],
        examples: [
            .triggers(.cloudformation, "A Network Load Balancer with the default", line: 3, column: 3, """
                AWSTemplateFormatVersion: '2010-09-09'
                Resources:
                  Nlb:
                    Type: AWS::ElasticLoadBalancingV2::LoadBalancer
                    Properties:
                      Type: network
                      Subnets: [subnet-1, subnet-2]
                """),
            .passes(.cloudformation, "Cross-zone turned on", """
                AWSTemplateFormatVersion: '2010-09-09'
                Resources:
                  Nlb:
                    Type: AWS::ElasticLoadBalancingV2::LoadBalancer
                    Properties:
                      Type: network
                      Subnets: [subnet-1, subnet-2]
                      LoadBalancerAttributes:
                        - {Key: load_balancing.cross_zone.enabled, Value: 'true'}
                """),
        ])

    public func evaluate(_ component: Component, in context: RuleContext) -> [Violation]? {
        guard let balancer = component.loadBalancer else { return nil }
        let crossZone = balancer.crossZone
        guard let enabled = crossZone.value else {
            return [Violation("\(component.title): whether cross-zone load balancing is on is unknown; \(crossZone.explained()).",
                              at: crossZone.location, isUncertain: true)]
        }
        guard !enabled else { return [] }
        return [Violation("\(component.title) keeps each zone's traffic in that zone (\(crossZone.explained())); a zone that loses targets overloads the ones it has left.",
                          at: crossZone.location)]
    }
}
