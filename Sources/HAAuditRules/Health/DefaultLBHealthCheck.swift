import HAAuditModel

/// An HTTP target group that checks `/` because nobody said otherwise.
public struct DefaultLBHealthCheck: Rule {
    public init() {}

    public let description = RuleDescription(
        name: "default-lb-health-check",
        code: "HA306",
        category: .health,
        severity: .low,
        summary: "An HTTP or HTTPS target group relies on the default health check path `/`.",
        rationale: """
            `/` is often a static page, a redirect or a 404 that says nothing about whether the \
            instance can serve: the load balancer keeps sending traffic to targets whose \
            application is broken, or takes healthy ones out because `/` redirects.
            """,
        remediation: "Set HealthCheckPath to an endpoint that checks what the instance needs to serve (`/healthz`, `/ready`).",
        examples: [
            .triggers(.cloudformation, "No HealthCheckPath", line: 3, column: 3, """
                AWSTemplateFormatVersion: '2010-09-09'
                Resources:
                  Web:
                    Type: AWS::ElasticLoadBalancingV2::TargetGroup
                    Properties: {Port: 80, Protocol: HTTP, VpcId: vpc-1}
                """),
            .passes(.cloudformation, "An explicit health endpoint", """
                AWSTemplateFormatVersion: '2010-09-09'
                Resources:
                  Web:
                    Type: AWS::ElasticLoadBalancingV2::TargetGroup
                    Properties: {Port: 80, Protocol: HTTP, VpcId: vpc-1, HealthCheckPath: /healthz}
                """),
        ])

    public func evaluate(_ component: Component, in context: RuleContext) -> [Violation]? {
        guard let check = component.targetHealthCheck else { return nil }
        guard check.path.certainty == .defaulted else { return [] }
        return [Violation("\(component.title) checks its targets with \(check.protocolName.value ?? "HTTP") on the default path / (\(check.path.explained())), which rarely says whether the application can serve.",
                          at: check.path.location)]
    }
}
