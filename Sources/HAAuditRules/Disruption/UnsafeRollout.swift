import HAAuditModel

/// A rollout that can take every instance down at once.
public struct UnsafeRollout: Rule {
    public init() {}

    public let description = RuleDescription(
        name: "unsafe-rollout",
        code: "HA503",
        category: .disruption,
        severity: .medium,
        summary: "A rollout can take every instance down at once.",
        rationale: """
            Every deploy is a planned failure of the old instances. A Recreate strategy stops them \
            all before any new one starts, and a maxUnavailable as large as the replica count lets a \
            rolling update do the same: each release is an outage, and a bad image is a total one.
            """,
        remediation: "Use a RollingUpdate with a maxUnavailable below the replica count (for example `maxUnavailable: 1` or `25%`), with maxSurge for capacity.",
        notes: [
            "A rolling update's percentage rounds down, as Kubernetes rounds maxUnavailable. The replica count is the effective minimum (an autoscaler's when one targets the workload).",
            "A StatefulSet with `updateStrategy: OnDelete` is not unsafe: pods are replaced only when someone deletes them, one decision at a time.",
            "Single-replica workloads are left to `single-replica`.",
            "DaemonSets: the number of nodes is not in the manifests, so only a maxUnavailable of 100% or more is found (it replaces every node's copy at once).",
            "Service Fabric: a publish profile whose UpgradeDeployment Mode is UnmonitoredAuto (\"not recommended for production\") upgrades every domain without health checks.",
            "ECS: MinimumHealthyPercent (default 100) leaves desired × (100 − percent) / 100 tasks, rounded down, free to stop. Auto Scaling groups with an AutoScalingRollingUpdate policy: up to MaxBatchSize (default 1) instances at a time while keeping MinInstancesInService (default 0), so a batch as large as the group takes it all down.",
        ],
        examples: [
            .triggers(.kubernetes, "A DaemonSet replacing every node's copy at once", line: 6, column: 21, """
                apiVersion: apps/v1
                kind: DaemonSet
                metadata: {name: agent}
                spec:
                  updateStrategy:
                    rollingUpdate: {maxUnavailable: "100%"}
                  selector: {matchLabels: {app: agent}}
                  template:
                    metadata: {labels: {app: agent}}
                    spec:
                      containers: [{name: agent, image: example/agent:1}]
                """),
            .triggers(.kubernetes, "Recreate with three replicas", line: 7, column: 5, """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web}
                spec:
                  replicas: 3
                  strategy:
                    type: Recreate
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata: {labels: {app: web}}
                    spec:
                      containers: [{name: web, image: nginx}]
                """),
            .triggers(.kubernetes, "maxUnavailable equal to the replica count", line: 8, column: 7, """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web}
                spec:
                  replicas: 2
                  strategy:
                    rollingUpdate:
                      maxUnavailable: 2
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata: {labels: {app: web}}
                    spec:
                      containers: [{name: web, image: nginx}]
                """),
            .triggers(.cloudformation, "An ECS service that may stop every task", line: 9, column: 9, """
                AWSTemplateFormatVersion: '2010-09-09'
                Resources:
                  Api:
                    Type: AWS::ECS::Service
                    Properties:
                      Cluster: main
                      DesiredCount: 2
                      DeploymentConfiguration:
                        MinimumHealthyPercent: 0
                        MaximumPercent: 100
                      TaskDefinition: api:7
                """),
            .passes(.cloudformation, "An ECS service that keeps every task until replacements are healthy", """
                AWSTemplateFormatVersion: '2010-09-09'
                Resources:
                  Api:
                    Type: AWS::ECS::Service
                    Properties:
                      Cluster: main
                      DesiredCount: 3
                      DeploymentConfiguration: {MinimumHealthyPercent: 100, MaximumPercent: 200}
                      TaskDefinition: api:7
                """),
            .triggers(.servicefabric, "An unmonitored upgrade", line: 4, column: 22, file: "PublishProfiles/Cloud.xml", """
                <?xml version="1.0" encoding="utf-8"?>
                <PublishProfile xmlns="http://schemas.microsoft.com/2015/05/fabrictools">
                  <ApplicationParameterFile Path="..\\ApplicationParameters\\Cloud.xml" />
                  <UpgradeDeployment Mode="UnmonitoredAuto" Enabled="true" />
                </PublishProfile>
                """, context: ServiceFabricExamples.application),
            .passes(.servicefabric, "A monitored upgrade that rolls back", file: "PublishProfiles/Cloud.xml", """
                <?xml version="1.0" encoding="utf-8"?>
                <PublishProfile xmlns="http://schemas.microsoft.com/2015/05/fabrictools">
                  <ApplicationParameterFile Path="..\\ApplicationParameters\\Cloud.xml" />
                  <UpgradeDeployment Mode="Monitored" Enabled="true">
                    <Parameters FailureAction="Rollback" />
                  </UpgradeDeployment>
                </PublishProfile>
                """, context: ServiceFabricExamples.application),
            .passes(.kubernetes, "The default rolling update (25%)", """
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
                """),
            .passes(.kubernetes, "A StatefulSet updated on delete", """
                apiVersion: apps/v1
                kind: StatefulSet
                metadata: {name: db}
                spec:
                  replicas: 3
                  serviceName: db
                  updateStrategy: {type: OnDelete}
                  selector: {matchLabels: {app: db}}
                  template:
                    metadata: {labels: {app: db}}
                    spec:
                      containers: [{name: db, image: postgres}]
                """),
        ])

    public func evaluate(_ component: Component, in context: RuleContext) -> [Violation]? {
        guard let rollout = component.rollout else { return nil }
        if rollout.strategy.value == .unmonitored {
            return [Violation("\(component.title) upgrades without watching health (\(rollout.strategy.explained { _ in "unmonitored" })): a bad version rolls through every upgrade domain.",
                              at: rollout.strategy.location)]
        }
        if component.workloadShape == .perNode { return perNode(component, rollout) }
        guard let instances = component.instances else {
            // A Service Fabric application's upgrade policy is all there is to judge, and it passed.
            return rollout.strategy.value == nil ? nil : []
        }
        guard instances.isReplicated else { return nil }
        // The worst case: the fewest replicas that run, when that is still more than one.
        let replicas = [instances.minimum.value, instances.desired.value].compactMap { $0 }.filter { $0 >= 2 }.min() ?? 2
        let unit = component.platform.instanceNoun + "s"
        switch rollout.strategy.value {
        case .recreate:
            return [Violation("\(component.title) uses the Recreate strategy with \(replicas) \(unit): every release stops all of them before any new one starts.",
                              at: rollout.strategy.location)]
        case .rolling:
            guard let maxUnavailable = rollout.maxUnavailable, let value = maxUnavailable.value else { return [] }
            let down = value.resolved(against: replicas, roundingUp: false)
            guard down >= replicas else { return [] }
            return [Violation("\(component.title) allows \(down) of its \(replicas) \(unit) to be unavailable during a rollout (\(maxUnavailable.explained())): a release can take them all down.",
                              at: maxUnavailable.location)]
        case .manual, .unmonitored, nil:
            return []
        }
    }

    /// A DaemonSet runs one copy per node, and how many nodes is not in the manifests: only a
    /// percentage of 100 or more surely takes every copy down at once.
    private func perNode(_ component: Component, _ rollout: Rollout) -> [Violation] {
        guard rollout.strategy.value == .rolling, let maxUnavailable = rollout.maxUnavailable,
              case .percent(let percent)? = maxUnavailable.value, percent >= 100 else { return [] }
        return [Violation("\(component.title) allows \(percent)% of its per-node copies to be unavailable during a rollout (\(maxUnavailable.explained())): a release replaces every node's copy at once.",
                          at: maxUnavailable.location)]
    }
}
