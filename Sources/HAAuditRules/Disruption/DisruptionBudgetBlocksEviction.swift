import HAAuditModel

/// A disruption budget that allows no voluntary disruption at all.
public struct DisruptionBudgetBlocksEviction: Rule {
    public init() {}

    public let description = RuleDescription(
        name: "disruption-budget-blocks-eviction",
        code: "HA502",
        category: .disruption,
        severity: .high,
        summary: "A PodDisruptionBudget allows zero voluntary disruptions for what it selects.",
        rationale: """
            A budget that never allows an eviction (maxUnavailable 0, minAvailable 100%, or \
            minAvailable at least the replica count) makes every node drain wait forever: cluster \
            upgrades stall, nodes cannot be replaced, and the autoscaler cannot scale down. The \
            platform team then deletes the budget by hand, and the workload is unprotected exactly \
            when it matters.
            """,
        remediation: "Allow at least one disruption: `maxUnavailable: 1`, or a minAvailable below the workload's minimum replica count.",
        notes: [
            "Percentages round as the disruption controller rounds them: up. The replica count is the effective minimum: an autoscaler's minReplicas when one targets the workload.",
        ],
        examples: [
            .triggers(.kubernetes, "maxUnavailable: 0", line: 5, column: 3, """
                apiVersion: policy/v1
                kind: PodDisruptionBudget
                metadata: {name: web}
                spec:
                  maxUnavailable: 0
                  selector: {matchLabels: {app: web}}
                """),
            .triggers(.kubernetes, "minAvailable equal to the replica count", line: 5, column: 3, """
                apiVersion: policy/v1
                kind: PodDisruptionBudget
                metadata: {name: web}
                spec:
                  minAvailable: 2
                  selector: {matchLabels: {app: web}}
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web}
                spec:
                  replicas: 2
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata: {labels: {app: web}}
                    spec:
                      containers: [{name: web, image: nginx}]
                """),
            .triggers(.kubernetes, "90% of three rounds up to three", line: 5, column: 3, """
                apiVersion: policy/v1
                kind: PodDisruptionBudget
                metadata: {name: web}
                spec:
                  minAvailable: 90%
                  selector: {matchLabels: {app: web}}
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
            .passes(.kubernetes, "minAvailable below the replica count", """
                apiVersion: policy/v1
                kind: PodDisruptionBudget
                metadata: {name: web}
                spec:
                  minAvailable: 3
                  selector: {matchLabels: {app: web}}
                ---
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
        ])

    public func evaluate(_ component: Component, in context: RuleContext) -> [Violation]? {
        guard let budget = component.disruptionBudget else { return nil }
        if let maxUnavailable = budget.maxUnavailable, let value = maxUnavailable.value,
           value == .count(0) || value == .percent(0) {
            return [Violation("\(component.title) has maxUnavailable \(value): it never allows an eviction, so node drains and upgrades stall.",
                              at: maxUnavailable.location)]
        }
        guard let minAvailable = budget.minAvailable, let value = minAvailable.value else { return [] }
        if case .percent(let percent) = value, percent >= 100 {
            return [Violation("\(component.title) has minAvailable \(value): it never allows an eviction, so node drains and upgrades stall.",
                              at: minAvailable.location)]
        }
        let topology = context.topology
        let protected = topology.targets(of: component, .protects)
        let counts = protected.compactMap { $0.instances?.minimum }
        guard !protected.isEmpty, counts.count == protected.count else { return [] }
        guard counts.allSatisfy({ $0.value != nil }) else {
            let unknown = counts.first { $0.value == nil }!
            return [Violation("\(component.title): whether it allows any eviction is unknown; \(unknown.explained()).",
                              at: minAvailable.location, isUncertain: true, involves: protected.map(\.id))]
        }
        let total = counts.reduce(0) { $0 + $1.value! }
        let required = value.resolved(against: total, roundingUp: true)
        guard required >= total else { return [] }
        let sources = listed(counts.lazy.map { $0.explained() }, separator: "; ")
        return [Violation("\(component.title) requires \(required) available pod\(required == 1 ? "" : "s") (minAvailable \(value)) of the \(total) it selects (\(sources)): it never allows an eviction, so node drains and upgrades stall.",
                          at: minAvailable.location,
                          related: protected.lazy.map { RelatedLocation("protected \($0.title)", at: $0.instances?.minimum.location ?? $0.location) },
                          involves: protected.map(\.id))]
    }
}
