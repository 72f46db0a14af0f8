import HAAuditModel

/// An Auto Scaling group behind a load balancer that ignores the load balancer's health check.
public struct LBHealthCheckIgnored: Rule {
    public init() {}

    public let description = RuleDescription(
        name: "lb-health-check-ignored",
        code: "HA402",
        category: .recovery,
        severity: .high,
        summary: "An Auto Scaling group behind a load balancer does not use its health checks.",
        rationale: """
            With the default EC2 health check, an instance is replaced only when the hypervisor \
            says it is broken. An instance whose application hangs keeps passing that check: the \
            load balancer stops sending it traffic, capacity shrinks, and nothing ever replaces it.
            """,
        remediation: "Set HealthCheckType: ELB (with a HealthCheckGracePeriod long enough for the instance to boot) on a group attached through TargetGroupARNs, LoadBalancerNames or TrafficSources.",
        examples: [
            .triggers(.cloudformation, "Attached to a target group, EC2 health checks only", line: 6, column: 3, """
                AWSTemplateFormatVersion: '2010-09-09'
                Resources:
                  Web:
                    Type: AWS::ElasticLoadBalancingV2::TargetGroup
                    Properties: {Port: 80, Protocol: HTTP, HealthCheckPath: /healthz, VpcId: vpc-1}
                  WebGroup:
                    Type: AWS::AutoScaling::AutoScalingGroup
                    Properties:
                      MinSize: '2'
                      MaxSize: '4'
                      TargetGroupARNs: [!Ref Web]
                """),
            .passes(.cloudformation, "ELB health checks", """
                AWSTemplateFormatVersion: '2010-09-09'
                Resources:
                  Web:
                    Type: AWS::ElasticLoadBalancingV2::TargetGroup
                    Properties: {Port: 80, Protocol: HTTP, HealthCheckPath: /healthz, VpcId: vpc-1}
                  WebGroup:
                    Type: AWS::AutoScaling::AutoScalingGroup
                    Properties:
                      MinSize: '2'
                      MaxSize: '4'
                      HealthCheckType: ELB
                      HealthCheckGracePeriod: 120
                      TargetGroupARNs: [!Ref Web]
                """),
        ])

    public func evaluate(_ component: Component, in context: RuleContext) -> [Violation]? {
        guard let checks = component.replacementHealthChecks else { return nil }
        let balancers = context.topology.sources(of: component, .routesTo)
        guard !balancers.isEmpty else { return nil }
        guard let types = checks.value else {
            return [Violation("\(component.title): its health check type is unknown; \(checks.explained()).", at: checks.location, isUncertain: true)]
        }
        guard !types.contains(where: { $0.uppercased() == "ELB" }) else { return [] }
        let names = listed(balancers.lazy.map(\.name))
        return [Violation("\(component.title) receives traffic from \(names) but replaces instances on EC2 health checks only (\(checks.explained())); instances that fail the load balancer's check are never replaced.",
                          at: checks.location,
                          related: balancers.lazy.map { RelatedLocation("load balancing through \($0.title)", at: $0.location) },
                          involves: balancers.map(\.id))]
    }
}
