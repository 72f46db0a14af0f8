import HAAuditModel

/// A replicated, traffic-serving stateless workload whose capacity never follows load.
public struct NoAutoscaling: Rule {
    public init() {}

    public let description = RuleDescription(
        name: "no-autoscaling",
        code: "HA802",
        category: .scaling,
        severity: .info,
        summary: "A replicated, traffic-serving stateless workload runs a fixed number of instances.",
        rationale: """
            Replicas protect against a failed instance only while the survivors can carry its load. \
            With a fixed count, losing an instance or a zone (or a traffic spike) leaves fewer \
            instances to carry the same load, and they may fall over one after another. An autoscaler \
            adds instances when load per instance rises, which is how the survivors of a failure get help.
            """,
        remediation: """
            Scale on load: a HorizontalPodAutoscaler (or KEDA ScaledObject) targeting the workload, an \
            ECS scalable target with a target-tracking policy, an Auto Scaling group scaling policy. \
            For example:

            ```yaml
            apiVersion: autoscaling/v2
            kind: HorizontalPodAutoscaler
            metadata: {name: web}
            spec:
              scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
              minReplicas: 3
              maxReplicas: 10
              metrics: [{type: Resource, resource: {name: cpu, target: {type: Utilization, averageUtilization: 70}}}]
            ```
            """,
        notes: [
            "Judged: long-running workloads with a desired count of 2 or more that traffic reaches (a Service selects a Kubernetes workload; a target group or load balancer routes to an ECS service or Auto Scaling group) and that nothing scales (no HPA or KEDA ScaledObject in the run, no ECS scalable target, no Auto Scaling scaling policy or scheduled action in the template).",
            "StatefulSets, and Deployments whose containers run a data store (redis, memcached, postgres, mysql, mongo, etcd, kafka, ...: the image's name), are not judged: each replica holds its own data, and adding one is not the stateless step autoscaling takes.",
            "An Auto Scaling group whose desired capacity is already its MaxSize (a quorum of masters, a pinned pair) is sized by design and not judged; one with room above it that nothing uses is. Single instances are left to `single-replica`; workers that no traffic reaches, and node groups (scaled by a cluster autoscaler), are not judged.",
            "An autoscaler created elsewhere (another stack, a chart not in the run) cannot be seen: suppress the finding with its reason.",
            "Severity: info in the default policy (a recommendation), low in strict, off in minimal.",
        ],
        examples: [
            .triggers(.kubernetes, "Three replicas behind a Service, with no autoscaler", line: 1, column: 1, """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web}
                spec:
                  replicas: 3
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata: {labels: {app: web}}
                    spec:
                      containers: [{name: web, image: nginx:1.27, ports: [{containerPort: 80}]}]
                """, context: [("service.yaml", """
                apiVersion: v1
                kind: Service
                metadata: {name: web}
                spec:
                  selector: {app: web}
                  ports: [{port: 80}]
                """)]),
            .passes(.kubernetes, "The same Deployment scaled by an HPA", """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web}
                spec:
                  replicas: 3
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata: {labels: {app: web}}
                    spec:
                      containers: [{name: web, image: nginx:1.27, ports: [{containerPort: 80}]}]
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: web}
                spec:
                  selector: {app: web}
                  ports: [{port: 80}]
                ---
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata: {name: web}
                spec:
                  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
                  minReplicas: 3
                  maxReplicas: 10
                """),
            .triggers(.cloudformation, "An ECS service behind a load balancer with no scalable target", line: 3, column: 3, """
                AWSTemplateFormatVersion: '2010-09-09'
                Resources:
                  Api:
                    Type: AWS::ECS::Service
                    Properties:
                      Cluster: main
                      DesiredCount: 3
                      TaskDefinition: api:7
                      LoadBalancers: [{ContainerName: api, ContainerPort: 8080, TargetGroupArn: !Ref ApiTargets}]
                  ApiTargets:
                    Type: AWS::ElasticLoadBalancingV2::TargetGroup
                    Properties: {Port: 8080, Protocol: HTTP, VpcId: vpc-1, TargetType: ip}
                """),
            .passes(.cloudformation, "An Auto Scaling group behind a target group, with a scaling policy", """
                AWSTemplateFormatVersion: '2010-09-09'
                Resources:
                  Web:
                    Type: AWS::AutoScaling::AutoScalingGroup
                    Properties:
                      MinSize: 2
                      MaxSize: 6
                      LaunchTemplate: {LaunchTemplateId: lt-123, Version: 1}
                      VPCZoneIdentifier: [subnet-a, subnet-b]
                      TargetGroupARNs: [!Ref WebTargets]
                  WebTargets:
                    Type: AWS::ElasticLoadBalancingV2::TargetGroup
                    Properties: {Port: 80, Protocol: HTTP, VpcId: vpc-1}
                  WebCpu:
                    Type: AWS::AutoScaling::ScalingPolicy
                    Properties:
                      AutoScalingGroupName: !Ref Web
                      PolicyType: TargetTrackingScaling
                      TargetTrackingConfiguration:
                        TargetValue: 60
                        PredefinedMetricSpecification: {PredefinedMetricType: ASGAverageCPUUtilization}
                """),
            .notApplicable(.kubernetes, "Redis replicas run from a Deployment: each holds a copy of the data", """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: redis-replica}
                spec:
                  replicas: 2
                  selector: {matchLabels: {app: redis}}
                  template:
                    metadata: {labels: {app: redis}}
                    spec:
                      containers: [{name: replica, image: gcr.io/google_samples/gb-redis-follower:v2, ports: [{containerPort: 6379}]}]
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: redis-replica}
                spec:
                  selector: {app: redis}
                  ports: [{port: 6379}]
                """),
            .notApplicable(.cloudformation, "An Auto Scaling group already at its MaxSize", """
                AWSTemplateFormatVersion: '2010-09-09'
                Resources:
                  Masters:
                    Type: AWS::AutoScaling::AutoScalingGroup
                    Properties:
                      MinSize: 2
                      DesiredCapacity: 3
                      MaxSize: 3
                      LaunchTemplate: {LaunchTemplateId: lt-123, Version: 1}
                      VPCZoneIdentifier: [subnet-a, subnet-b]
                      LoadBalancerNames: [!Ref Api]
                  Api:
                    Type: AWS::ElasticLoadBalancing::LoadBalancer
                    Properties:
                      Subnets: [subnet-a, subnet-b]
                      Listeners: [{LoadBalancerPort: 443, InstancePort: 443, Protocol: TCP}]
                """),
            .notApplicable(.kubernetes, "A StatefulSet", """
                apiVersion: apps/v1
                kind: StatefulSet
                metadata: {name: db}
                spec:
                  replicas: 3
                  serviceName: db
                  selector: {matchLabels: {app: db}}
                  template:
                    metadata: {labels: {app: db}}
                    spec:
                      containers: [{name: db, image: postgres:16}]
                """),
        ])

    /// What is missing is an autoscaler: the finding anchors on the workload that lacks one, and
    /// names where its fixed count is written.
    public func evaluate(_ component: Component, in context: RuleContext) -> [Violation]? {
        guard component.workloadShape == .service, !component.holdsState,
              let desired = component.instances?.desired, let count = desired.value, count >= 2 else { return nil }
        let topology = context.topology
        guard topology.hasIncoming(component, .selects) || topology.hasIncoming(component, .routesTo) else { return nil }
        if topology.hasIncoming(component, .scales) || component.scaling != nil { return [] }
        // A group already at its maximum (an Auto Scaling group with MaxSize = DesiredCapacity) is sized by design.
        if let maximum = component.instances?.maximum?.value, maximum <= count { return nil }
        return [Violation("\(component.title) runs a fixed \(count) \(component.platform.instanceNoun)s (\(desired.explained())) that serve traffic, and nothing scales them: when one fails, or a zone does, the rest carry its load with no help.",
                          at: component.location, related: [RelatedLocation("instance count", at: desired.location)])]
    }
}
