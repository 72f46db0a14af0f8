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
        notes: ["When the scan holds no workload of the budget's namespace, or a custom resource there may create the pods, the finding is uncertain and reported at info."],
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
        ])

    public func evaluate(_ component: Component, in context: RuleContext) -> [Violation]? {
        guard let budget = component.disruptionBudget else { return nil }
        guard !context.topology.hasOutgoing(component, .protects) else { return [] }
        return [UnresolvedReference.unmatchedSelector(component, budget.selector, at: budget.selectorLocation,
                                                      elsewhere: budget.matchesInOtherNamespaces,
                                                      consequence: "it protects nothing", topology: context.topology)]
    }
}
