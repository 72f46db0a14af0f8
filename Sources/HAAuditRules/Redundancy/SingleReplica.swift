import HAAuditModel

/// A long-running service whose effective minimum instance count is below the threshold.
public struct SingleReplica: Rule {
    static let minReplicas = RuleParameter("minReplicas", default: 2, "the fewest instances a long-running service may run")

    public init() {}

    public let description = RuleDescription(
        name: "single-replica",
        code: "HA101",
        category: .redundancy,
        severity: .high,
        summary: "A long-running service runs fewer than two instances.",
        rationale: """
            With one instance, every restart, node drain, crash or rollout is an outage. The count that \
            matters is the effective minimum: when an autoscaler targets the workload, its minimum wins \
            over the fixed count, because it may scale down to it.
            """,
        remediation: "Run at least two instances: raise the replica count, or the autoscaler's minimum when one targets the workload.",
        parameters: [minReplicas],
        notes: [
            "DaemonSets, Jobs and CronJobs are not services with a replica count; bare Pods are left to `unmanaged-instance`.",
            "An absent `spec.replicas` is the Kubernetes default, 1; an HPA without `minReplicas` defaults to 1 as well.",
            "Service Fabric: a stateless service's InstanceCount (default 1; -1, one per node like a DaemonSet, is not counted), per profile; partitions multiply instances but add no redundancy to any one of them. Cloud Services: each role's Instances count in the profile's .cscfg.",
            "AWS: an Auto Scaling group's MinSize (the group may shrink to it), an ECS service's DesiredCount (default 1) or the MinCapacity of its Application Auto Scaling target, an EKS node group's ScalingConfig.MinSize.",
            "A minimum of 0 with a maximum above 0 on an AWS workload that no load balancer or target group routes to is a pool that scales from zero on demand (queue workers): nothing waits on it being up, so it is not reported. Behind a load balancer it still is.",
        ],
        examples: [
            .triggers(.kubernetes, "One replica", line: 5, column: 3, """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web}
                spec:
                  replicas: 1
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata: {labels: {app: web}}
                    spec:
                      containers: [{name: web, image: nginx}]
                """),
            .triggers(.kubernetes, "An autoscaler that may scale down to one replica", line: 16, column: 3, """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web}
                spec:
                  replicas: 4
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata: {labels: {app: web}}
                    spec:
                      containers: [{name: web, image: nginx}]
                ---
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata: {name: web}
                spec:
                  minReplicas: 1
                  maxReplicas: 10
                  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
                """),
            .triggers(.cloudformation, "An Auto Scaling group that may shrink to one instance", line: 6, column: 7, """
                AWSTemplateFormatVersion: '2010-09-09'
                Resources:
                  Web:
                    Type: AWS::AutoScaling::AutoScalingGroup
                    Properties:
                      MinSize: '1'
                      DesiredCapacity: '2'
                      MaxSize: '4'
                      AvailabilityZones: !GetAZs ''
                """),
            .triggers(.cloudformation, "An ECS service with the default DesiredCount", line: 3, column: 3, """
                AWSTemplateFormatVersion: '2010-09-09'
                Resources:
                  Api:
                    Type: AWS::ECS::Service
                    Properties:
                      Cluster: main
                      LaunchType: FARGATE
                      TaskDefinition: api:7
                """),
            .triggers(.cloudformation, "A group behind a target group that may shrink to nothing", line: 11, column: 7, """
                AWSTemplateFormatVersion: '2010-09-09'
                Resources:
                  WebTargets:
                    Type: AWS::ElasticLoadBalancingV2::TargetGroup
                    Properties: {Port: 80, Protocol: HTTP, VpcId: vpc-0123}
                  Web:
                    Type: AWS::AutoScaling::AutoScalingGroup
                    Properties:
                      AvailabilityZones: !GetAZs ''
                      TargetGroupARNs: [!Ref WebTargets]
                      MinSize: '0'
                      MaxSize: '4'
                """),
            .passes(.cloudformation, "Workers that scale from zero, behind no load balancer", """
                AWSTemplateFormatVersion: '2010-09-09'
                Resources:
                  Workers:
                    Type: AWS::AutoScaling::AutoScalingGroup
                    Properties:
                      MinSize: '0'
                      MaxSize: '20'
                      AvailabilityZones: !GetAZs ''
                """),
            .passes(.cloudformation, "MinSize from a parameter whose default is 2", """
                AWSTemplateFormatVersion: '2010-09-09'
                Parameters:
                  GroupMin: {Type: Number, Default: 2}
                Resources:
                  Web:
                    Type: AWS::AutoScaling::AutoScalingGroup
                    Properties:
                      MinSize: !Ref GroupMin
                      MaxSize: '4'
                      AvailabilityZones: !GetAZs ''
                """),
            .triggers(.cloudformation, "MinSize from a parameter without a default: uncertain, so info", line: 8, column: 7, severity: .info, """
                AWSTemplateFormatVersion: '2010-09-09'
                Parameters:
                  GroupMin: {Type: Number}
                Resources:
                  Web:
                    Type: AWS::AutoScaling::AutoScalingGroup
                    Properties:
                      MinSize: !Ref GroupMin
                      MaxSize: '4'
                      AvailabilityZones: !GetAZs ''
                """),
            .triggers(.servicefabric, "A stateless service with one instance", line: 5, column: 56, file: "ApplicationPackageRoot/ApplicationManifest.xml", """
                <?xml version="1.0" encoding="utf-8"?>
                <ApplicationManifest ApplicationTypeName="ShopType" ApplicationTypeVersion="1.0.0" xmlns="http://schemas.microsoft.com/2011/01/fabric">
                  <DefaultServices>
                    <Service Name="Notifier">
                      <StatelessService ServiceTypeName="NotifierType" InstanceCount="1">
                        <SingletonPartition />
                      </StatelessService>
                    </Service>
                  </DefaultServices>
                </ApplicationManifest>
                """),
            .passes(.servicefabric, "Three instances", file: "ApplicationPackageRoot/ApplicationManifest.xml", """
                <?xml version="1.0" encoding="utf-8"?>
                <ApplicationManifest ApplicationTypeName="ShopType" ApplicationTypeVersion="1.0.0" xmlns="http://schemas.microsoft.com/2011/01/fabric">
                  <DefaultServices>
                    <Service Name="Web">
                      <StatelessService ServiceTypeName="WebType" InstanceCount="3">
                        <SingletonPartition />
                      </StatelessService>
                    </Service>
                  </DefaultServices>
                </ApplicationManifest>
                """),
            .notApplicable(.servicefabric, "One instance on every node (-1), like a DaemonSet", file: "ApplicationPackageRoot/ApplicationManifest.xml", """
                <?xml version="1.0" encoding="utf-8"?>
                <ApplicationManifest ApplicationTypeName="ShopType" ApplicationTypeVersion="1.0.0" xmlns="http://schemas.microsoft.com/2011/01/fabric">
                  <DefaultServices>
                    <Service Name="Web">
                      <StatelessService ServiceTypeName="WebType" InstanceCount="-1">
                        <SingletonPartition />
                      </StatelessService>
                    </Service>
                  </DefaultServices>
                </ApplicationManifest>
                """),
            .triggers(.cloudservices, "A role with one instance in the Cloud configuration", line: 4, column: 16, file: "ServiceConfiguration.Cloud.cscfg", """
                <?xml version="1.0" encoding="utf-8"?>
                <ServiceConfiguration serviceName="Shop" xmlns="http://schemas.microsoft.com/ServiceHosting/2008/10/ServiceConfiguration">
                  <Role name="Jobs">
                    <Instances count="1" />
                  </Role>
                </ServiceConfiguration>
                """, context: [("ServiceDefinition.csdef", """
                <?xml version="1.0" encoding="utf-8"?>
                <ServiceDefinition name="Shop" xmlns="http://schemas.microsoft.com/ServiceHosting/2008/10/ServiceDefinition">
                  <WorkerRole name="Jobs" vmsize="Standard_D2_v2" />
                </ServiceDefinition>
                """)]),
            .passes(.cloudservices, "Two instances, as the 99.95% SLA requires", file: "ServiceConfiguration.Cloud.cscfg", """
                <?xml version="1.0" encoding="utf-8"?>
                <ServiceConfiguration serviceName="Shop" xmlns="http://schemas.microsoft.com/ServiceHosting/2008/10/ServiceConfiguration">
                  <Role name="Jobs">
                    <Instances count="2" />
                  </Role>
                </ServiceConfiguration>
                """, context: [("ServiceDefinition.csdef", """
                <?xml version="1.0" encoding="utf-8"?>
                <ServiceDefinition name="Shop" xmlns="http://schemas.microsoft.com/ServiceHosting/2008/10/ServiceDefinition">
                  <WorkerRole name="Jobs" vmsize="Standard_D2_v2" />
                </ServiceDefinition>
                """)]),
            .passes(.kubernetes, "Three replicas", """
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
                      containers: [{name: db, image: postgres}]
                """),
            .passes(.kubernetes, "One fixed replica, but an autoscaler keeps at least three", """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: api}
                spec:
                  replicas: 1
                  selector: {matchLabels: {app: api}}
                  template:
                    metadata: {labels: {app: api}}
                    spec:
                      containers: [{name: api, image: example/api}]
                ---
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata: {name: api}
                spec:
                  minReplicas: 3
                  maxReplicas: 10
                  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: api}
                """),
        ])

    public func evaluate(_ component: Component, in context: RuleContext) -> [Violation]? {
        guard component.workloadShape == .service, let instances = component.instances else { return nil }
        let required = context.parameter(Self.minReplicas)
        let minimum = instances.minimum
        let unit = component.platform.instanceNoun
        guard let count = minimum.value else {
            return [Violation("\(component.title): the \(unit) count is unknown; \(minimum.explained()).",
                              at: minimum.location, isUncertain: true)]
        }
        guard count < required else { return [] }
        if Self.scalesFromZeroOnDemand(component, in: context.topology) { return [] }
        let scaledByAutoscaler = minimum.location != instances.desired.location
        var violation = Violation(
            "\(component.title) \(scaledByAutoscaler ? "may scale down to" : "runs") \(count) \(unit)\(count == 1 ? "" : "s") "
                + "(\(minimum.explained())); \(Self.consequence(count, required: required)).",
            at: minimum.location)
        if let usedAt = minimum.usedAt {
            violation.related.append(RelatedLocation("where the parameter is used", at: usedAt))
        }
        if scaledByAutoscaler {
            violation.related = [RelatedLocation("the workload the autoscaler scales", at: component.location)]
            violation.remediation = "Raise the autoscaler's minimum to \(required) or more."
        } else if component.platform == .kubernetes {
            violation.remediation = "Set spec.replicas to \(required) or more, or an HPA minReplicas of \(required) or more."
        }
        return [violation]
    }

    /// An AWS pool of workers that scales from zero on demand (queue workers, an on-demand
    /// bastion): a minimum of 0, a maximum above 0, and no load balancer or target group routes
    /// to it, so nothing waits on it being up. (Kubernetes scale-to-zero, KEDA's default, stays
    /// reported: see the regressions fixture.)
    static func scalesFromZeroOnDemand(_ component: Component, in topology: Topology) -> Bool {
        guard component.platform == .cloudformation, let instances = component.instances else { return false }
        return instances.minimum.value == 0 && (instances.maximum?.value ?? 0) > 0 && !topology.hasIncoming(component, .routesTo)
    }

    private static func consequence(_ count: Int, required: Int) -> String {
        switch count {
        case ...0: "at times nothing runs at all"
        case 1: "one failure or restart is an outage"
        default: "the policy requires at least \(required)"
        }
    }
}
