import HAAuditModel

/// A rolling update that may neither stop an old instance nor start a new one.
public struct StuckRollout: Rule {
    public init() {}

    public let description = RuleDescription(
        name: "stuck-rollout",
        code: "HA507",
        category: .disruption,
        severity: .high,
        summary: "A rolling update can neither stop an old instance nor start a new one.",
        rationale: """
            A rolling update makes progress by stopping old instances (maxUnavailable) or by starting \
            new ones beside them (maxSurge). With both at zero it can do neither: the deployment hangs \
            until it times out or fails, and the fix for the next incident cannot ship. Kubernetes \
            rejects such a Deployment outright, so it never reaches the cluster; ECS and CloudFormation \
            accept it and then fail the update.
            """,
        remediation: """
            Leave room on one side: allow one extra instance (`maxSurge: 1`, ECS `MaximumPercent: 200`, \
            an Auto Scaling group `MaxSize` above `MinInstancesInService`), or allow one to be down \
            (`maxUnavailable: 1`, ECS `MinimumHealthyPercent` below 100).
            """,
        notes: [
            "Kubernetes: only both written as 0 (or 0%) is found. The API rejects that pair (\"may not be 0 when maxSurge is 0\"); when percentages merely round to 0 (maxSurge rounds up, maxUnavailable down), the deployment controller's ResolveFenceposts uses a maxUnavailable of 1, so the rollout proceeds.",
            "ECS (DeploymentController ECS, the default): MinimumHealthyPercent 100 (the default) with MaximumPercent 100. CODE_DEPLOY and EXTERNAL deployments do not roll by these percentages and are not judged.",
            "CloudFormation AutoScalingRollingUpdate: MinInstancesInService must be less than the group's MaxSize; at or above it CloudFormation can neither take an instance out nor launch one beyond MaxSize.",
            "A service whose desired count is 0 has nothing to replace and is not judged.",
        ],
        examples: [
            .triggers(.cloudformation, "An ECS service that must keep every task and may start none", line: 10, column: 9, """
                AWSTemplateFormatVersion: '2010-09-09'
                Resources:
                  Api:
                    Type: AWS::ECS::Service
                    Properties:
                      Cluster: main
                      DesiredCount: 2
                      DeploymentConfiguration:
                        MinimumHealthyPercent: 100
                        MaximumPercent: 100
                      TaskDefinition: api:7
                """),
            .passes(.cloudformation, "An ECS service that may start a second set of tasks (MaximumPercent 200 by default)", """
                AWSTemplateFormatVersion: '2010-09-09'
                Resources:
                  Api:
                    Type: AWS::ECS::Service
                    Properties:
                      Cluster: main
                      DesiredCount: 2
                      DeploymentConfiguration: {MinimumHealthyPercent: 100}
                      TaskDefinition: api:7
                """),
            .triggers(.cloudformation, "A rolling update that keeps as many instances in service as the group may hold", line: 14, column: 9, """
                AWSTemplateFormatVersion: '2010-09-09'
                Resources:
                  Web:
                    Type: AWS::AutoScaling::AutoScalingGroup
                    Properties:
                      MinSize: 2
                      MaxSize: 2
                      LaunchTemplate: {LaunchTemplateId: lt-123, Version: 1}
                      VPCZoneIdentifier: [subnet-a, subnet-b]
                      HealthCheckType: ELB
                      HealthCheckGracePeriod: 120
                    UpdatePolicy:
                      AutoScalingRollingUpdate:
                        MinInstancesInService: 2
                        MaxBatchSize: 1
                """),
            .passes(.cloudformation, "A rolling update with room for one more instance", """
                AWSTemplateFormatVersion: '2010-09-09'
                Resources:
                  Web:
                    Type: AWS::AutoScaling::AutoScalingGroup
                    Properties:
                      MinSize: 2
                      MaxSize: 3
                      LaunchTemplate: {LaunchTemplateId: lt-123, Version: 1}
                      VPCZoneIdentifier: [subnet-a, subnet-b]
                    UpdatePolicy:
                      AutoScalingRollingUpdate:
                        MinInstancesInService: 2
                """),
            .triggers(.kubernetes, "maxSurge and maxUnavailable both 0", line: 8, column: 7, """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web}
                spec:
                  replicas: 3
                  strategy:
                    rollingUpdate:
                      maxSurge: 0
                      maxUnavailable: 0
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata: {labels: {app: web}}
                    spec:
                      containers: [{name: web, image: nginx}]
                """),
            .passes(.kubernetes, "A maxUnavailable that rounds down to 0 (the controller then uses 1)", """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web}
                spec:
                  replicas: 3
                  strategy:
                    rollingUpdate:
                      maxSurge: 0
                      maxUnavailable: 10%
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata: {labels: {app: web}}
                    spec:
                      containers: [{name: web, image: nginx}]
                """),
        ])

    public func evaluate(_ component: Component, in context: RuleContext) -> [Violation]? {
        guard let rollout = component.rollout, rollout.strategy.value == .rolling,
              let surge = rollout.maxSurge, let unavailable = rollout.maxUnavailable else { return nil }
        if component.instances?.desired.value == 0 { return nil }
        // Only what is written as zero: a percentage that rounds to zero is no stall (see the notes).
        func isZero(_ fact: Fact<IntOrPercent>) -> Bool { fact.value == .count(0) || fact.value == .percent(0) }
        let zeros = [surge, unavailable].filter(isZero)
        let unknown = [surge, unavailable].first(where: \.isUnknown)
        guard zeros.count == 2 || (zeros.count == 1 && unknown != nil) else { return [] }
        return [Violation("\(component.title) can neither stop an old \(component.platform.instanceNoun) nor start a new one during a rolling update (\(unavailable.explained()); \(surge.explained())): every deployment hangs until it fails.",
                          at: surge.location, related: [RelatedLocation("maxUnavailable", at: unavailable.location)],
                          isUncertain: unknown != nil)]
    }
}
