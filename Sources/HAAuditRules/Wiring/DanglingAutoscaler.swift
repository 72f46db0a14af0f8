import HAAuditModel

/// An autoscaler whose target does not exist.
public struct DanglingAutoscaler: Rule {
    public init() {}

    public let description = RuleDescription(
        name: "dangling-autoscaler",
        code: "HA603",
        category: .wiring,
        severity: .medium,
        summary: "An autoscaler's scaleTargetRef names a workload that does not exist.",
        rationale: """
            An autoscaler that targets nothing scales nothing: the workload it was meant for (often \
            renamed since) runs at its fixed replica count, with no room to absorb load and no \
            minimum the autoscaler would have kept.
            """,
        remediation: "Point scaleTargetRef at the workload's kind and name, in the autoscaler's namespace.",
        notes: [
            "HorizontalPodAutoscalers and KEDA ScaledObjects are checked. A target of a kind haaudit does not model is looked up among the scanned custom resources; if it is not there either, the finding is uncertain (info).",
        ],
        examples: [
            .triggers(.kubernetes, "The target was renamed", line: 5, column: 19, """
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata: {name: web}
                spec:
                  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web-v1}
                  minReplicas: 2
                  maxReplicas: 10
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web}
                spec:
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata: {labels: {app: web}}
                    spec:
                      containers: [{name: web, image: nginx}]
                """),
            .passes(.kubernetes, "The target exists", """
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata: {name: web}
                spec:
                  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
                  minReplicas: 2
                  maxReplicas: 10
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web}
                spec:
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata: {labels: {app: web}}
                    spec:
                      containers: [{name: web, image: nginx}]
                """),
        ])

    public func evaluate(_ component: Component, in context: RuleContext) -> [Violation]? {
        guard let autoscaler = component.autoscaler else { return nil }
        let topology = context.topology
        guard !topology.hasOutgoing(component, .scales) else { return [] }
        let namespace = component.namespace ?? "default"
        let target = "\(autoscaler.targetKind) \(autoscaler.targetName)"
        if !autoscaler.targetKindIsModelled {
            let contents = topology.namespaces[namespace] ?? NamespaceContents()
            if contents.opaqueObjects.contains(where: { $0.kind == autoscaler.targetKind && $0.name == autoscaler.targetName }) {
                return []
            }
            return [Violation("\(component.title) targets \(target), which is not in the scanned files; haaudit does not model that kind, so it may exist elsewhere.",
                              at: autoscaler.targetLocation, isUncertain: true)]
        }
        if let reason = UnresolvedReference.reasonItMayExist(in: namespace, target: .workloads,
                                                             hints: [autoscaler.targetName], topology: topology) {
            return [Violation("\(component.title) targets \(target), which is not in the scanned files; \(reason).",
                              at: autoscaler.targetLocation, isUncertain: true)]
        }
        return [Violation("\(component.title) targets \(target), which does not exist in namespace \(namespace); it scales nothing.",
                          at: autoscaler.targetLocation)]
    }
}
