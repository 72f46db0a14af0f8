import HAAuditModel

/// A DNS failover record that can never fail over.
public struct FailoverWithoutHealthCheck: Rule {
    public init() {}

    public let description = RuleDescription(
        name: "failover-without-health-check",
        code: "HA404",
        category: .recovery,
        severity: .high,
        summary: "A Route 53 PRIMARY failover record has no health check, or no SECONDARY partner.",
        rationale: """
            Route 53 answers with the secondary only when it knows the primary is unhealthy. A \
            primary without a health check (or an alias without EvaluateTargetHealth) is always \
            considered healthy, and a primary without a secondary has nowhere to fail over to: \
            either way, the failover that the record promises never happens.
            """,
        remediation: "Give the PRIMARY record a HealthCheckId (for an alias, EvaluateTargetHealth: true), and a SECONDARY record with the same name and type.",
        examples: [
            .triggers(.cloudformation, "A primary without a health check", line: 3, column: 3, """
                AWSTemplateFormatVersion: '2010-09-09'
                Resources:
                  Primary:
                    Type: AWS::Route53::RecordSet
                    Properties:
                      HostedZoneName: example.com.
                      Name: api.example.com.
                      Type: CNAME
                      TTL: '60'
                      SetIdentifier: primary
                      Failover: PRIMARY
                      ResourceRecords: [primary.example.net]
                  Secondary:
                    Type: AWS::Route53::RecordSet
                    Properties:
                      HostedZoneName: example.com.
                      Name: api.example.com.
                      Type: CNAME
                      TTL: '60'
                      SetIdentifier: secondary
                      Failover: SECONDARY
                      ResourceRecords: [standby.example.net]
                """),
            .passes(.cloudformation, "A checked primary and its secondary", """
                AWSTemplateFormatVersion: '2010-09-09'
                Resources:
                  Check:
                    Type: AWS::Route53::HealthCheck
                    Properties:
                      HealthCheckConfig: {Type: HTTPS, FullyQualifiedDomainName: primary.example.net, ResourcePath: /healthz}
                  Primary:
                    Type: AWS::Route53::RecordSet
                    Properties:
                      HostedZoneName: example.com.
                      Name: api.example.com.
                      Type: CNAME
                      TTL: '60'
                      SetIdentifier: primary
                      Failover: PRIMARY
                      HealthCheckId: !Ref Check
                      ResourceRecords: [primary.example.net]
                  Secondary:
                    Type: AWS::Route53::RecordSet
                    Properties:
                      HostedZoneName: example.com.
                      Name: api.example.com.
                      Type: CNAME
                      TTL: '60'
                      SetIdentifier: secondary
                      Failover: SECONDARY
                      ResourceRecords: [standby.example.net]
                """),
        ])

    public func evaluate(_ component: Component, in context: RuleContext) -> [Violation]? {
        guard let failover = component.failover, failover.isPrimary else { return nil }
        let signal = failover.healthSignal
        if signal.value == nil {
            return [Violation("\(component.title): whether its primary is health-checked is unknown; \(signal.explained()).",
                              at: signal.location, isUncertain: true)]
        }
        if signal.value == false {
            return [Violation("\(component.title) is a PRIMARY failover record with no health signal (\(signal.explained())); Route 53 never sees it fail, so it never fails over.",
                              at: signal.location)]
        }
        guard failover.partner == nil else { return [] }
        return [Violation("\(component.title) is a PRIMARY failover record with no SECONDARY record of the same name and type; there is nothing to fail over to.",
                          at: failover.role)]
    }
}
