import HAAuditModel

/// A deployment that keeps retrying when its new instances never turn healthy, or stops halfway.
public struct NoDeploymentCircuitBreaker: Rule {
    public init() {}

    public let description = RuleDescription(
        name: "no-deployment-circuit-breaker",
        code: "HA508",
        category: .disruption,
        severity: .low,
        summary: "A failed deployment does not roll back to the last version that worked.",
        rationale: """
            Without the deployment circuit breaker, an ECS service whose new tasks crash or fail their \
            health checks keeps launching replacements for hours before the deployment is given up, \
            while capacity sits below normal and the stack update waits. The circuit breaker stops \
            the deployment after a few failed tasks; with Rollback it also returns the service to the \
            last deployment that completed.
            """,
        remediation: """
            Turn on the circuit breaker with rollback:

            ```yaml
            DeploymentConfiguration:
              DeploymentCircuitBreaker:
                Enable: true
                Rollback: true
            ```
            """,
        notes: [
            "Default: the circuit breaker is off. Enabled without Rollback, a failed deployment stops with old and new tasks mixed, which is reported too.",
            "CloudWatch alarms in DeploymentConfiguration.Alarms with Rollback roll back only when an alarm fires; a deployment whose tasks never start fires none and keeps retrying, so alarms do not replace the circuit breaker.",
            "Only services that ECS deploys itself (DeploymentController ECS, the default) are judged: CodeDeploy blue/green and EXTERNAL controllers decide failures themselves. Daemon services are not judged.",
        ],
        examples: [
            .triggers(.cloudformation, "An ECS service without the circuit breaker", line: 3, column: 3, """
                AWSTemplateFormatVersion: '2010-09-09'
                Resources:
                  Api:
                    Type: AWS::ECS::Service
                    Properties:
                      Cluster: main
                      DesiredCount: 2
                      TaskDefinition: api:7
                """),
            .triggers(.cloudformation, "The circuit breaker without rollback", line: 10, column: 11, """
                AWSTemplateFormatVersion: '2010-09-09'
                Resources:
                  Api:
                    Type: AWS::ECS::Service
                    Properties:
                      Cluster: main
                      DesiredCount: 2
                      DeploymentConfiguration:
                        DeploymentCircuitBreaker:
                          Rollback: false
                          Enable: true
                      TaskDefinition: api:7
                """),
            .triggers(.cloudformation, "Deployment alarms that roll back, and no circuit breaker", line: 3, column: 3, """
                AWSTemplateFormatVersion: '2010-09-09'
                Resources:
                  Api:
                    Type: AWS::ECS::Service
                    Properties:
                      Cluster: main
                      DesiredCount: 2
                      DeploymentConfiguration:
                        Alarms: {AlarmNames: [api-errors], Enable: true, Rollback: true}
                      TaskDefinition: api:7
                """),
            .passes(.cloudformation, "The circuit breaker with rollback", """
                AWSTemplateFormatVersion: '2010-09-09'
                Resources:
                  Api:
                    Type: AWS::ECS::Service
                    Properties:
                      Cluster: main
                      DesiredCount: 2
                      DeploymentConfiguration:
                        DeploymentCircuitBreaker: {Enable: true, Rollback: true}
                      TaskDefinition: api:7
                """),
            .notApplicable(.cloudformation, "A service deployed by CodeDeploy (blue/green)", """
                AWSTemplateFormatVersion: '2010-09-09'
                Resources:
                  Api:
                    Type: AWS::ECS::Service
                    Properties:
                      Cluster: main
                      DesiredCount: 2
                      DeploymentController: {Type: CODE_DEPLOY}
                      TaskDefinition: api:7
                """),
        ])

    public func evaluate(_ component: Component, in context: RuleContext) -> [Violation]? {
        guard let onFailure = component.rollout?.onFailure else { return nil }
        switch onFailure.value {
        case .rollBack: return []
        case .stop:
            return [Violation("\(component.title) stops a failed deployment without rolling back (\(onFailure.explained { _ in "false" })): its old and new \(component.platform.instanceNoun)s stay mixed until someone deploys again.",
                              at: onFailure.location)]
        case .keepTrying, nil:
            return [Violation("\(component.title) has no deployment circuit breaker with rollback (\(onFailure.explained { _ in "false" })): a deployment whose \(component.platform.instanceNoun)s never turn healthy keeps replacing them for hours.",
                              at: onFailure.location, isUncertain: onFailure.isUnknown)]
        }
    }
}
