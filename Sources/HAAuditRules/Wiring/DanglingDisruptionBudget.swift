import HAAuditModel

/// A PodDisruptionBudget whose selector matches no pod template.
public struct DanglingDisruptionBudget: Rule {
    public init() {}

    public let description = RuleDescription(
        name: "dangling-disruption-budget",
        code: "HA604",
        category: .wiring,
        severity: .low,
        summary: "A PodDisruptionBudget selects no pod template.",
        rationale: """
            A disruption budget protects only the pods its selector matches. One that matches none \
            protects nothing, and usually means the workload it was written for is unprotected: \
            its labels changed, or it lives in another namespace.
            """,
        remediation: "Make the selector match the pod template's labels of the workload to protect, in its namespace, or delete the budget.",
        notes: [
            "When the scan holds no workload of the budget's namespace, or a custom resource there may create the pods, the finding is uncertain and reported at info.",
            "A custom resource of the namespace whose spec labels the pods it creates (`podMetadata.labels`, a pod template's `metadata.labels`) with labels the selector matches satisfies it.",
        ],
        examples: [
            .triggers(.kubernetes, "The labels changed", line: 6, column: 3, """
                apiVersion: policy/v1
                kind: PodDisruptionBudget
                metadata: {name: web}
                spec:
                  maxUnavailable: 1
                  selector: {matchLabels: {app: web-legacy}}
                ---
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
            .passes(.kubernetes, "A budget selecting with matchExpressions", """
                apiVersion: policy/v1
                kind: PodDisruptionBudget
                metadata: {name: web}
                spec:
                  maxUnavailable: 1
                  selector:
                    matchExpressions:
                      - {key: app, operator: In, values: [web, web-canary]}
                ---
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
            .passes(.kubernetes, "An operator's custom resource gives its pods the labels", """
                apiVersion: policy/v1
                kind: PodDisruptionBudget
                metadata: {name: prometheus-k8s, namespace: monitoring}
                spec:
                  minAvailable: 1
                  selector: {matchLabels: {app.kubernetes.io/name: prometheus}}
                ---
                apiVersion: monitoring.coreos.com/v1
                kind: Prometheus
                metadata: {name: k8s, namespace: monitoring}
                spec:
                  replicas: 2
                  podMetadata:
                    labels: {app.kubernetes.io/name: prometheus}
                """),
        ])

    public func evaluate(_ component: Component, in context: RuleContext) -> [Violation]? {
        guard let budget = component.disruptionBudget else { return nil }
        guard !context.topology.hasOutgoing(component, .protects),
              UnresolvedReference.customResourceCreatingPods(for: budget.selector, in: component.namespace ?? "default", topology: context.topology) == nil
        else { return [] }
        return [UnresolvedReference.unmatchedSelector(component, budget.selector, at: budget.selectorLocation,
                                                      elsewhere: budget.matchesInOtherNamespaces,
                                                      consequence: "it protects nothing", topology: context.topology)]
    }
}
