import HAAuditModel

/// Instances taken out of service without letting their requests finish, or judged by the load
/// balancer before they could start.
public struct AbruptDeregistration: Rule {
    public init() {}

    public let description = RuleDescription(
        name: "abrupt-deregistration",
        code: "HA509",
        category: .disruption,
        severity: .low,
        summary: "Targets leave the load balancer without draining, or are judged by it before they have started.",
        rationale: """
            Every deployment, scale-in and instance replacement takes targets out of a load balancer. \
            With no deregistration delay (or, on a Classic load balancer, no connection draining) the \
            requests in flight on them are cut: each routine change returns errors to users. And an \
            Auto Scaling group that trusts the load balancer's health checks with no grace period \
            replaces a new instance that has not finished booting, over and over.
            """,
        remediation: """
            Let targets drain: keep `deregistration_delay.timeout_seconds` above 0 (the default is 300; \
            set it just above your longest request), enable `ConnectionDrainingPolicy` on a Classic load \
            balancer, and give an Auto Scaling group with ELB health checks a `HealthCheckGracePeriod` \
            as long as an instance takes to start serving.
            """,
        notes: [
            "Target groups: deregistration_delay.timeout_seconds defaults to 300 seconds. Lambda target groups are not judged.",
            "Classic load balancers: CloudFormation leaves connection draining off unless ConnectionDrainingPolicy Enabled is true (Timeout default 300).",
            "Auto Scaling groups: HealthCheckGracePeriod defaults to 0 for groups made through the API, as CloudFormation makes them (the console's 300 seconds does not apply). Groups with EC2 health checks only are not judged: an EC2 status check does not fail while the software starts.",
            "A target group with no targets that nothing can register targets in is not judged.",
        ],
        examples: [
            .triggers(.cloudformation, "A target group that cuts requests in flight", line: 12, column: 11, """
                AWSTemplateFormatVersion: '2010-09-09'
                Resources:
                  Web:
                    Type: AWS::ElasticLoadBalancingV2::TargetGroup
                    Properties:
                      Port: 80
                      Protocol: HTTP
                      VpcId: vpc-1
                      Targets: [{Id: i-0abc}]
                      TargetGroupAttributes:
                        - Key: deregistration_delay.timeout_seconds
                          Value: 0
                """),
            .passes(.cloudformation, "A target group that drains for 30 seconds", """
                AWSTemplateFormatVersion: '2010-09-09'
                Resources:
                  Web:
                    Type: AWS::ElasticLoadBalancingV2::TargetGroup
                    Properties:
                      Port: 80
                      Protocol: HTTP
                      VpcId: vpc-1
                      Targets: [{Id: i-0abc}]
                      TargetGroupAttributes:
                        - {Key: deregistration_delay.timeout_seconds, Value: 30}
                """),
            .triggers(.cloudformation, "A Classic load balancer without connection draining", line: 3, column: 3, """
                AWSTemplateFormatVersion: '2010-09-09'
                Resources:
                  Edge:
                    Type: AWS::ElasticLoadBalancing::LoadBalancer
                    Properties:
                      Subnets: [subnet-a, subnet-b]
                      Listeners: [{LoadBalancerPort: 80, InstancePort: 80, Protocol: HTTP}]
                """),
            .passes(.cloudformation, "A Classic load balancer that drains connections", """
                AWSTemplateFormatVersion: '2010-09-09'
                Resources:
                  Edge:
                    Type: AWS::ElasticLoadBalancing::LoadBalancer
                    Properties:
                      Subnets: [subnet-a, subnet-b]
                      Listeners: [{LoadBalancerPort: 80, InstancePort: 80, Protocol: HTTP}]
                      ConnectionDrainingPolicy: {Enabled: true, Timeout: 60}
                """),
            .triggers(.cloudformation, "ELB health checks with no grace period", line: 3, column: 3, """
                AWSTemplateFormatVersion: '2010-09-09'
                Resources:
                  Web:
                    Type: AWS::AutoScaling::AutoScalingGroup
                    Properties:
                      MinSize: 2
                      MaxSize: 4
                      LaunchTemplate: {LaunchTemplateId: lt-123, Version: 1}
                      VPCZoneIdentifier: [subnet-a, subnet-b]
                      HealthCheckType: ELB
                """),
            .passes(.cloudformation, "ELB health checks after a five-minute grace period", """
                AWSTemplateFormatVersion: '2010-09-09'
                Resources:
                  Web:
                    Type: AWS::AutoScaling::AutoScalingGroup
                    Properties:
                      MinSize: 2
                      MaxSize: 4
                      LaunchTemplate: {LaunchTemplateId: lt-123, Version: 1}
                      VPCZoneIdentifier: [subnet-a, subnet-b]
                      HealthCheckType: ELB
                      HealthCheckGracePeriod: 300
                """),
        ])

    public func evaluate(_ component: Component, in context: RuleContext) -> [Violation]? {
        var violations: [Violation] = []
        var applies = false
        if let draining = component.connectionDraining, component.nothingToWatch == nil {
            applies = true
            if draining.value == 0 || draining.isUnknown {
                violations.append(Violation("\(component.title) cuts the requests in flight on a target it stops routing to (\(draining.explained { "\($0) seconds" })): every deployment, scale-in and replacement returns errors.",
                                            at: draining.location, isUncertain: draining.isUnknown, key: "draining"))
            }
        }
        if let grace = component.healthCheckGracePeriod, let checks = component.replacementHealthChecks,
           checks.value?.contains(where: { $0.uppercased() == "ELB" }) == true {
            applies = true
            if grace.value == 0 || grace.isUnknown {
                violations.append(Violation("\(component.title) replaces instances that fail the load balancer's health check with no grace period (\(grace.explained { "\($0) seconds" })): a new instance still starting is judged unhealthy and replaced, again and again.",
                                            at: grace.location, related: [RelatedLocation("HealthCheckType", at: checks.location)],
                                            isUncertain: grace.isUnknown, key: "grace"))
            }
        }
        return applies ? violations : nil
    }
}
