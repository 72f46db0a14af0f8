import HAAuditModel

/// A Service whose selector matches no pod template.
public struct DanglingService: Rule {
    public init() {}

    public let description = RuleDescription(
        name: "dangling-service",
        code: "HA601",
        category: .wiring,
        severity: .high,
        summary: "A Service's selector matches no pod template in its namespace.",
        rationale: """
            A Service routes to the pods its selector matches in its own namespace. When it matches \
            none (a typo in a label, a renamed app, the wrong namespace), it has no endpoints and \
            every request to it fails.
            """,
        remediation: "Make the selector match the pod template's labels, in the same namespace as the workload.",
        notes: [
            "Services without a selector (endpoints managed by hand, ExternalName) are not checked.",
            "When the scan holds no workload of the Service's namespace, or a custom resource there may create the pods, the finding is uncertain and reported at info.",
            "A custom resource of the namespace whose spec labels the pods it creates (`podMetadata.labels`, a pod template's `metadata.labels`) with labels the selector matches satisfies it.",
            "A selector on a label key that no pod template of the namespace carries at all (a label a controller adds at run time, such as the active replica's) is uncertain too, at info; a key the pod templates carry with no matching value is a typo, at the rule's severity.",
        ],
        examples: [
            .triggers(.kubernetes, "A selector with a typo", line: 5, column: 3, """
                apiVersion: v1
                kind: Service
                metadata: {name: web}
                spec:
                  selector: {app: wbe}
                  ports: [{port: 80}]
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
            .triggers(.kubernetes, "A label key no pod template carries: maybe added at run time", line: 5, column: 3, severity: .info, """
                apiVersion: v1
                kind: Service
                metadata: {name: leader}
                spec:
                  selector: {example.com/role: leader}
                  ports: [{port: 80}]
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
            .triggers(.kubernetes, "The pods are in another namespace", line: 5, column: 3, """
                apiVersion: v1
                kind: Service
                metadata: {name: web, namespace: frontend}
                spec:
                  selector: {app: web}
                  ports: [{port: 80}]
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web, namespace: backend}
                spec:
                  replicas: 2
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata: {labels: {app: web}}
                    spec:
                      containers: [{name: web, image: nginx}]
                """),
            .passes(.kubernetes, "The selector matches the pod template, in another file of the run", """
                apiVersion: v1
                kind: Service
                metadata: {name: web}
                spec:
                  selector: {app: web}
                  ports: [{port: 80}]
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web}
                spec:
                  replicas: 2
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata: {labels: {app: web, version: v2}}
                    spec:
                      containers: [{name: web, image: nginx}]
                """),
            .passes(.kubernetes, "A LeaderWorkerSet's leader template carries the labels", """
                apiVersion: v1
                kind: Service
                metadata: {name: server}
                spec:
                  selector: {app: server}
                  ports: [{port: 80}]
                ---
                apiVersion: leaderworkerset.x-k8s.io/v1
                kind: LeaderWorkerSet
                metadata: {name: server}
                spec:
                  replicas: 1
                  leaderWorkerTemplate:
                    size: 2
                    leaderTemplate:
                      metadata:
                        labels: {app: server}
                      spec:
                        containers: [{name: leader, image: server}]
                    workerTemplate:
                      spec:
                        containers: [{name: worker, image: server}]
                """),
        ])

    public func evaluate(_ component: Component, in context: RuleContext) -> [Violation]? {
        guard let service = component.service, let selector = service.selector,
              let at = service.selectorLocation else { return nil }
        guard !context.topology.hasOutgoing(component, .selects),
              UnresolvedReference.customResourceCreatingPods(for: selector, in: component.namespace ?? "default", topology: context.topology) == nil
        else { return [] }
        let finding = UnresolvedReference.unmatchedSelector(component, selector, at: at, elsewhere: service.matchesInOtherNamespaces,
                                                           consequence: "it has no endpoints", topology: context.topology)
        let runTimeKeys = service.labelKeysOnNoPodTemplate
        guard !finding.isUncertain, !runTimeKeys.isEmpty, service.matchesInOtherNamespaces.isEmpty else { return [finding] }
        let keys = runTimeKeys.map { "'\($0)'" }.joined(separator: ", ")
        return [Violation("\(component.title) selects \(selector.description), but no pod template in namespace \(component.namespace ?? "default") carries the label \(keys); "
                            + "a controller may add it at run time, so whether the Service has endpoints cannot be told.", at: at, isUncertain: true)]
    }
}
