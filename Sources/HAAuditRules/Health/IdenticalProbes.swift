import HAAuditModel

/// Liveness and readiness probes that are the same probe.
public struct IdenticalProbes: Rule {
    public init() {}

    public let description = RuleDescription(
        name: "identical-probes",
        code: "HA303",
        category: .health,
        severity: .low,
        summary: "The liveness and readiness probes are identical.",
        rationale: """
            Readiness should fail first, taking a struggling pod out of rotation; liveness should fail \
            only when a restart helps. When both probes are the same check with the same thresholds, \
            a slow dependency fails them together, and every pod restarts at once instead of waiting.
            """,
        remediation: "Give liveness its own cheap endpoint, or at least a longer failure budget (a higher failureThreshold) than readiness.",
        notes: ["Probes on the same endpoint with different thresholds are not identical (and answer kube-score's false positives on them)."],
        examples: [
            .triggers(.kubernetes, "The same endpoint with the same thresholds", line: 14, column: 11, """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web}
                spec:
                  replicas: 2
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata: {labels: {app: web}}
                    spec:
                      containers:
                        - name: web
                          image: nginx
                          readinessProbe: {httpGet: {path: /healthz, port: 80}}
                          livenessProbe: {httpGet: {path: /healthz, port: 80}}
                """),
            .passes(.kubernetes, "The same endpoint, but liveness waits longer", """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web}
                spec:
                  replicas: 2
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata: {labels: {app: web}}
                    spec:
                      containers:
                        - name: web
                          image: nginx
                          readinessProbe: {httpGet: {path: /healthz, port: 80}}
                          livenessProbe: {httpGet: {path: /healthz, port: 80}, failureThreshold: 6}
                """),
        ])

    public func evaluate(_ component: Component, in context: RuleContext) -> [Violation]? {
        let probed = component.containers.filter { $0.readiness != nil && $0.liveness != nil }
        guard !probed.isEmpty else { return nil }
        return probed.compactMap { container in
            guard let readiness = container.readiness, let liveness = container.liveness,
                  liveness.isIdentical(to: readiness) else { return nil }
            return Violation("Container \(container.name) of \(component.title) has identical liveness and readiness probes; a slow dependency restarts every pod.",
                             at: liveness.location, related: [RelatedLocation("the readiness probe", at: readiness.location)], key: container.name)
        }
    }
}
