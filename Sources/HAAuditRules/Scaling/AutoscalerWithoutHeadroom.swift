import HAAuditModel

/// An autoscaler whose maximum leaves it nothing to scale out to.
public struct AutoscalerWithoutHeadroom: Rule {
    public init() {}

    public let description = RuleDescription(
        name: "autoscaler-without-headroom",
        code: "HA801",
        category: .scaling,
        severity: .low,
        summary: "An autoscaler's maximum is not above its minimum: it cannot scale out under load.",
        rationale: """
            An autoscaler exists to add instances when load rises. With a maximum at or below its \
            minimum it never can: a traffic spike, or the loss of a zone that sends the survivors \
            twice the load, meets the same fixed capacity, and the scaling policy only looks as if it \
            protected the service.
            """,
        remediation: "Raise the maximum above the minimum (`maxReplicas`, KEDA `maxReplicaCount`, `MaxCapacity`, `MaxSize`) to what the service must absorb when a zone is lost.",
        notes: [
            "Defaults: an HPA's minReplicas is 1 (maxReplicas is required); a KEDA ScaledObject's minReplicaCount is 0 and maxReplicaCount 100.",
            "AWS: an ECS scalable target (MinCapacity/MaxCapacity) or an Auto Scaling group (MinSize/MaxSize) is judged only while a scaling policy of the same template targets it; scheduled actions change the bounds themselves, so a group with any is not judged.",
            "Bounds that cannot be resolved (a parameter without a default) are not judged.",
        ],
        examples: [
            .triggers(.kubernetes, "An HPA pinned at three replicas", line: 8, column: 3, """
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata: {name: web}
                spec:
                  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
                  minReplicas: 3
                  metrics: [{type: Resource, resource: {name: cpu, target: {type: Utilization, averageUtilization: 70}}}]
                  maxReplicas: 3
                """),
            .passes(.kubernetes, "An HPA that may double", """
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata: {name: web}
                spec:
                  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
                  minReplicas: 3
                  maxReplicas: 6
                """),
            .triggers(.kubernetes, "A KEDA ScaledObject whose maximum equals its minimum", line: 7, column: 3, """
                apiVersion: keda.sh/v1alpha1
                kind: ScaledObject
                metadata: {name: worker}
                spec:
                  scaleTargetRef: {name: worker}
                  minReplicaCount: 2
                  maxReplicaCount: 2
                  triggers: [{type: cpu, metricMetadata: {value: "60"}}]
                """),
            .triggers(.cloudformation, "An ECS service scaled by a policy between 2 and 2 tasks", line: 16, column: 7, """
                AWSTemplateFormatVersion: '2010-09-09'
                Resources:
                  Api:
                    Type: AWS::ECS::Service
                    Properties:
                      Cluster: main
                      DesiredCount: 2
                      TaskDefinition: api:7
                  ApiScaling:
                    Type: AWS::ApplicationAutoScaling::ScalableTarget
                    Properties:
                      ServiceNamespace: ecs
                      ScalableDimension: ecs:service:DesiredCount
                      ResourceId: !Sub service/main/${Api.Name}
                      MinCapacity: 2
                      MaxCapacity: 2
                  ApiCpu:
                    Type: AWS::ApplicationAutoScaling::ScalingPolicy
                    Properties:
                      PolicyName: cpu
                      PolicyType: TargetTrackingScaling
                      ScalingTargetId: !Ref ApiScaling
                      TargetTrackingScalingPolicyConfiguration:
                        TargetValue: 60
                        PredefinedMetricSpecification: {PredefinedMetricType: ECSServiceAverageCPUUtilization}
                """),
            .passes(.cloudformation, "An Auto Scaling group whose scaling policy may add up to four instances", """
                AWSTemplateFormatVersion: '2010-09-09'
                Resources:
                  Web:
                    Type: AWS::AutoScaling::AutoScalingGroup
                    Properties:
                      MinSize: 2
                      MaxSize: 6
                      LaunchTemplate: {LaunchTemplateId: lt-123, Version: 1}
                      VPCZoneIdentifier: [subnet-a, subnet-b]
                  WebCpu:
                    Type: AWS::AutoScaling::ScalingPolicy
                    Properties:
                      AutoScalingGroupName: !Ref Web
                      PolicyType: TargetTrackingScaling
                      TargetTrackingConfiguration:
                        TargetValue: 60
                        PredefinedMetricSpecification: {PredefinedMetricType: ASGAverageCPUUtilization}
                """),
            .notApplicable(.cloudformation, "A fixed-size Auto Scaling group that no scaling policy targets", """
                AWSTemplateFormatVersion: '2010-09-09'
                Resources:
                  Web:
                    Type: AWS::AutoScaling::AutoScalingGroup
                    Properties:
                      MinSize: 2
                      MaxSize: 2
                      LaunchTemplate: {LaunchTemplateId: lt-123, Version: 1}
                      VPCZoneIdentifier: [subnet-a, subnet-b]
                """),
            .triggers(.cloudformation, "An Auto Scaling group whose scaling policy cannot add an instance", line: 7, column: 7, """
                AWSTemplateFormatVersion: '2010-09-09'
                Resources:
                  Web:
                    Type: AWS::AutoScaling::AutoScalingGroup
                    Properties:
                      MinSize: 2
                      MaxSize: 2
                      LaunchTemplate: {LaunchTemplateId: lt-123, Version: 1}
                      VPCZoneIdentifier: [subnet-a, subnet-b]
                  WebCpu:
                    Type: AWS::AutoScaling::ScalingPolicy
                    Properties:
                      AutoScalingGroupName: !Ref Web
                      PolicyType: TargetTrackingScaling
                      TargetTrackingConfiguration:
                        TargetValue: 60
                        PredefinedMetricSpecification: {PredefinedMetricType: ASGAverageCPUUtilization}
                """),
        ])

    public func evaluate(_ component: Component, in context: RuleContext) -> [Violation]? {
        if let autoscaler = component.autoscaler {
            guard let maximum = autoscaler.maxReplicas else { return nil }
            return judge(component.title, minimum: autoscaler.minReplicas, maximum: maximum, related: [])
        }
        // An AWS group or scalable target, while a policy would scale it: the bounds are its instances'.
        guard let scaling = component.scaling, !scaling.policies.isEmpty, scaling.scheduledActions.isEmpty,
              let instances = component.instances, let maximum = instances.maximum else { return nil }
        let related = scaling.policies.map { RelatedLocation("scaling policy \($0.value ?? "")", at: $0.location) }
        return judge(component.title, minimum: instances.minimum, maximum: maximum, related: related)
    }

    private func judge(_ title: String, minimum: Fact<Int>, maximum: Fact<Int>, related: [RelatedLocation]) -> [Violation] {
        guard let most = maximum.value, let least = minimum.value, most <= least else { return [] }
        return [Violation("\(title) can never scale out: its maximum is not above its minimum (\(maximum.explained()); \(minimum.explained())), so load beyond the minimum's capacity is never met with more instances.",
                          at: maximum.location, related: related + [RelatedLocation("minimum", at: minimum.location)])]
    }
}
