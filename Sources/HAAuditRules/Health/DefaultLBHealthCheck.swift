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
        notes: [
            "Not checked for a target group with no Targets that nothing declared alongside names but listeners and that no output hands on: nothing can register targets in it (a listener's placeholder default action). One that an Auto Scaling group, an ECS service, a listener rule, a nested stack or an output names is checked.",
        ],
        examples: [
            .triggers(.cloudformation, "No HealthCheckPath", line: 3, column: 3, """
                AWSTemplateFormatVersion: '2010-09-09'
                Resources:
                  Web:
                    Type: AWS::ElasticLoadBalancingV2::TargetGroup
                    Properties: {Port: 80, Protocol: HTTP, VpcId: vpc-1}
                  Servers:
                    Type: AWS::AutoScaling::AutoScalingGroup
                    Properties: {MinSize: '2', MaxSize: '4', AvailabilityZones: !GetAZs '', TargetGroupARNs: [!Ref Web]}
                """),
            .notApplicable(.cloudformation, "A placeholder target group for a listener's default action", """
                AWSTemplateFormatVersion: '2010-09-09'
                Resources:
                  Balancer:
                    Type: AWS::ElasticLoadBalancingV2::LoadBalancer
                    Properties: {Subnets: [subnet-0a1b2c3d, subnet-4e5f6a7b]}
                  Placeholder:
                    Type: AWS::ElasticLoadBalancingV2::TargetGroup
                    Properties: {Port: 80, Protocol: HTTP, VpcId: vpc-0a1b2c3d}
                  Listener:
                    Type: AWS::ElasticLoadBalancingV2::Listener
                    Properties:
                      LoadBalancerArn: !Ref Balancer
                      Port: 80
                      Protocol: HTTP
                      DefaultActions: [{Type: forward, TargetGroupArn: !Ref Placeholder}]
                """),
            .passes(.cloudformation, "An explicit health endpoint", """
                AWSTemplateFormatVersion: '2010-09-09'
                Resources:
                  Web:
                    Type: AWS::ElasticLoadBalancingV2::TargetGroup
                    Properties: {Port: 80, Protocol: HTTP, VpcId: vpc-1, HealthCheckPath: /healthz}
                  Servers:
                    Type: AWS::AutoScaling::AutoScalingGroup
                    Properties: {MinSize: '2', MaxSize: '4', AvailabilityZones: !GetAZs '', TargetGroupARNs: [!Ref Web]}
                """),
        ])

    public func evaluate(_ component: Component, in context: RuleContext) -> [Violation]? {
        // A placeholder target group (a listener's default action) never has targets to check.
        guard let check = component.targetHealthCheck, component.nothingToWatch == nil else { return nil }
        guard check.path.certainty == .defaulted else { return [] }
        return [Violation("\(component.title) checks its targets with \(check.protocolName.value ?? "HTTP") on the default path / (\(check.path.explained())), which rarely says whether the application can serve.",
                          at: check.path.location)]
    }
}
