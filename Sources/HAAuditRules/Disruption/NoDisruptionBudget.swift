import HAAuditModel

/// A replicated workload that no disruption budget protects.
public struct NoDisruptionBudget: Rule {
    public init() {}

    public let description = RuleDescription(
        name: "no-disruption-budget",
        code: "HA501",
        category: .disruption,
        severity: .medium,
        summary: "A replicated Deployment or StatefulSet is selected by no PodDisruptionBudget.",
        rationale: """
            Node drains, cluster upgrades and autoscaler scale-downs evict pods voluntarily. Without \
            a PodDisruptionBudget nothing stops them from evicting every replica of a workload at \
            once, and an upgrade becomes an outage.
            """,
        remediation: """
            Add a PodDisruptionBudget that selects the pod template's labels:

            ```yaml
            apiVersion: policy/v1
            kind: PodDisruptionBudget
            metadata: {name: web}
            spec:
              maxUnavailable: 1
              selector: {matchLabels: {app: web}}
            ```
            """,
        notes: [
            "A budget protects a workload when its selector (matchLabels and matchExpressions, ANDed) matches the pod template's labels in the same namespace, in any file of the run.",
            "Single-replica workloads are left to `single-replica`.",
        ],
        examples: [
            .triggers(.kubernetes, "Three replicas, no budget", line: 1, column: 1, """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web}
                spec:
                  replicas: 3
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata: {labels: {app: web}}
                    spec:
                      containers: [{name: web, image: nginx}]
                """),
            .triggers(.kubernetes, "A budget in another namespace does not count", line: 1, column: 1, """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web, namespace: shop}
                spec:
                  replicas: 3
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata: {labels: {app: web}}
                    spec:
                      containers: [{name: web, image: nginx}]
                ---
                apiVersion: policy/v1
                kind: PodDisruptionBudget
                metadata: {name: web, namespace: default}
                spec:
                  maxUnavailable: 1
                  selector: {matchLabels: {app: web}}
                """),
            .passes(.kubernetes, "A budget selecting the pods", """
                apiVersion: apps/v1
                kind: StatefulSet
                metadata: {name: db}
                spec:
                  replicas: 3
                  serviceName: db
                  selector: {matchLabels: {app: db}}
                  template:
                    metadata: {labels: {app: db, role: replica}}
                    spec:
                      containers: [{name: db, image: postgres}]
                ---
                apiVersion: policy/v1
                kind: PodDisruptionBudget
                metadata: {name: db}
                spec:
                  minAvailable: 2
                  selector: {matchLabels: {app: db}}
                """),
        ])

    public func evaluate(_ component: Component, in context: RuleContext) -> [Violation]? {
        guard component.supportsDisruptionBudget, let instances = component.instances, instances.isReplicated else { return nil }
        guard !context.topology.hasIncoming(component, .protects) else { return [] }
        // Pods without labels are named as such, not by an empty list.
        let labels = component.podLabels.flatMap { $0.isEmpty ? nil : " (\(LabelSelector(matchLabels: $0).description))" } ?? ", which carry no labels"
        return [Violation("\(component.title) runs several replicas, but no PodDisruptionBudget selects its pods\(labels); a node drain may evict them all at once.",
                          at: component.location)]
    }
}
