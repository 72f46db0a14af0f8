import HAAuditModel

/// A StatefulSet whose governing Service is missing or not headless.
public struct DanglingStatefulSetService: Rule {
    public init() {}

    public let description = RuleDescription(
        name: "dangling-statefulset-service",
        code: "HA605",
        category: .wiring,
        severity: .medium,
        summary: "A StatefulSet's serviceName names no headless Service in its namespace.",
        rationale: """
            A StatefulSet's pods get their stable network names (`db-0.db.shop.svc.cluster.local`) from \
            its governing Service, the one `spec.serviceName` names, and only when that Service is \
            headless (`clusterIP: None`): DNS then answers for each pod by name. Without it the pods \
            start, but the names their peers and clients use to find each replica (a database's \
            replicas finding the primary, a quorum's members finding each other) do not resolve, so a \
            cluster never forms, or cannot re-form after a pod moves.
            """,
        remediation: """
            Create a headless Service of that name in the StatefulSet's namespace, selecting its pods, or \
            point `spec.serviceName` at the one that exists (a client-facing Service with a virtual IP \
            can sit beside it):
            ```yaml
            apiVersion: v1
            kind: Service
            metadata: {name: db}
            spec:
              clusterIP: None
              selector: {app: db}
              ports: [{name: db, port: 5432}]
            ```
            """,
        notes: [
            "A StatefulSet without `spec.serviceName` is not judged.",
            "When no Service of the StatefulSet's namespace is in the scanned files, or a custom resource of that namespace may create the Service (an operator's), the finding is uncertain (info): the Service may be applied from elsewhere.",
            "Of several copies of the Service (variants of one application), one headless copy is enough.",
        ],
        examples: [
            .triggers(.kubernetes, "serviceName names a Service that does not exist", line: 6, column: 3, """
                apiVersion: apps/v1
                kind: StatefulSet
                metadata: {name: db}
                spec:
                  replicas: 3
                  serviceName: db-headless
                  selector: {matchLabels: {app: db}}
                  template:
                    metadata: {labels: {app: db}}
                    spec:
                      containers: [{name: db, image: postgres:16}]
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: db}
                spec:
                  clusterIP: None
                  selector: {app: db}
                  ports: [{port: 5432}]
                """),
            .triggers(.kubernetes, "The governing Service has a virtual IP", line: 6, column: 3, """
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
                      containers: [{name: db, image: postgres:16}]
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: db}
                spec:
                  selector: {app: db}
                  ports: [{port: 5432}]
                """),
            .passes(.kubernetes, "A headless governing Service", """
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
                      containers: [{name: db, image: postgres:16}]
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: db}
                spec:
                  clusterIP: None
                  selector: {app: db}
                  ports: [{port: 5432}]
                """),
            .triggers(.kubernetes, "No Service of the namespace is scanned: uncertain, so info", line: 6, column: 3, severity: .info, """
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
                      containers: [{name: db, image: postgres:16}]
                """),
        ])

    public func evaluate(_ component: Component, in context: RuleContext) -> [Violation]? {
        guard let facet = component.statefulSet, let serviceName = facet.serviceName, let name = serviceName.value,
              let governing = facet.governingService else { return nil }
        let namespace = component.namespace ?? "default"
        switch governing {
        case .headless:
            return []
        case .notHeadless(let title, let headless):
            let written = headless.certainty == .known ? "its spec.clusterIP is not None" : "it sets no clusterIP: None"
            return [Violation(
                "\(component.title) is governed by \(title) (spec.serviceName; \(headless.location.path)), which is not headless (\(written)): DNS gives its pods no stable names, so replicas that find each other by name cannot.",
                at: serviceName.location, related: [RelatedLocation(title, at: headless.location)],
                remediation: "Set clusterIP: None on \(title) (a new Service: clusterIP cannot be changed in place), or point spec.serviceName at a headless Service.")]
        case .missing:
            if let reason = UnresolvedReference.reasonItMayExist(in: namespace, target: .services, hints: [name], topology: context.topology) {
                return [Violation("\(component.title) names Service \(name) in spec.serviceName, which is not in the scanned files; \(reason).",
                                  at: serviceName.location, isUncertain: true)]
            }
            return [Violation(
                "\(component.title) names Service \(name) in spec.serviceName, which does not exist in namespace \(namespace): its pods get no stable DNS names, so replicas that find each other by name cannot.",
                at: serviceName.location)]
        }
    }
}
