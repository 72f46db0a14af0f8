import HAAuditModel

/// A replicated Kubernetes workload that does not ask to be spread over nodes.
public struct NoNodeSpread: Rule {
    public init() {}

    public let description = RuleDescription(
        name: "no-node-spread",
        code: "HA203",
        category: .placement,
        severity: .medium,
        summary: "A replicated workload does not ask to be spread over nodes.",
        rationale: """
            Replicas on one node share its fate: a node failure, drain or kernel upgrade takes them \
            all at once. The scheduler's default scoring prefers spreading but does not promise it.
            """,
        remediation: """
            Add a hostname-keyed topology spread constraint (or pod anti-affinity):

            ```yaml
            topologySpreadConstraints:
              - maxSkew: 1
                topologyKey: kubernetes.io/hostname
                whenUnsatisfiable: DoNotSchedule
                labelSelector: {matchLabels: {app: web}}
            ```
            """,
        notes: [
            "Zone-keyed pod anti-affinity also keeps replicas on different nodes and counts.",
            "So does a container hostPort (or a declared port under hostNetwork): two pods that bind one host port never share a node.",
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
            .passes(.kubernetes, "Preferred hostname anti-affinity", """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web}
                spec:
                  replicas: 3
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata: {labels: {app: web}}
                    spec:
                      affinity:
                        podAntiAffinity:
                          preferredDuringSchedulingIgnoredDuringExecution:
                            - weight: 100
                              podAffinityTerm:
                                topologyKey: kubernetes.io/hostname
                                labelSelector: {matchLabels: {app: web}}
                      containers: [{name: web, image: nginx}]
                """),
            .passes(.kubernetes, "A container hostPort: no two replicas fit on one node", """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: agent}
                spec:
                  replicas: 3
                  selector: {matchLabels: {app: agent}}
                  template:
                    metadata: {labels: {app: agent}}
                    spec:
                      containers:
                        - name: agent
                          image: agent
                          ports: [{containerPort: 6666, hostPort: 6666}]
                """),
        ])

    public func evaluate(_ component: Component, in context: RuleContext) -> [Violation]? {
        guard component.workloadShape == .service, let instances = component.instances, instances.isReplicated,
              let spread = component.placement?.spreadsOverNodes else { return nil }
        guard spread.value == false else { return [] }
        return [Violation("\(component.title) runs several replicas but declares no node spreading; one node failure can take them all.",
                          at: spread.location)]
    }
}
