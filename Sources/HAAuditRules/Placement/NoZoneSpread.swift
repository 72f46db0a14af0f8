import HAAuditModel

/// A replicated Kubernetes workload that does not ask to be spread over zones.
public struct NoZoneSpread: Rule {
    public init() {}

    public let description = RuleDescription(
        name: "no-zone-spread",
        code: "HA202",
        category: .placement,
        severity: .low,
        summary: "A replicated workload does not ask to be spread over zones.",
        rationale: """
            The scheduler only spreads replicas over zones when asked to. Without a zone-keyed \
            topology spread constraint or pod anti-affinity, all replicas can land in one zone \
            and go down with it.
            """,
        remediation: """
            Add a topology spread constraint on `topology.kubernetes.io/zone`:

            ```yaml
            topologySpreadConstraints:
              - maxSkew: 1
                topologyKey: topology.kubernetes.io/zone
                whenUnsatisfiable: ScheduleAnyway
                labelSelector: {matchLabels: {app: web}}
            ```
            """,
        notes: [
            "Workloads pinned to a single zone are left to `single-zone`; DaemonSets, Jobs and single-replica workloads are not checked.",
        ],
        examples: [
            .triggers(.kubernetes, "Three replicas, no spreading", line: 8, column: 5, """
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
            .passes(.kubernetes, "A zone-keyed topology spread constraint", """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web}
                spec:
                  replicas: 3
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata: {labels: {app: web}}
                    spec:
                      topologySpreadConstraints:
                        - {maxSkew: 1, topologyKey: topology.kubernetes.io/zone, whenUnsatisfiable: ScheduleAnyway, labelSelector: {matchLabels: {app: web}}}
                      containers: [{name: web, image: nginx}]
                """),
        ])

    public func evaluate(_ component: Component, in context: RuleContext) -> [Violation]? {
        guard component.workloadShape == .service, let instances = component.instances, instances.isReplicated,
              let spread = component.placement?.spreadsOverZones else { return nil }
        if component.placement?.confinedZones?.value?.count == 1 { return nil }
        guard spread.value == false else { return [] }
        return [Violation("\(component.title) runs several replicas but declares no zone spreading; they may all land in one zone.",
                          at: spread.location)]
    }
}
