import HAAuditModel

/// A liveness probe that gives up before readiness does.
public struct AggressiveLivenessProbe: Rule {
    public init() {}

    public let description = RuleDescription(
        name: "aggressive-liveness-probe",
        code: "HA304",
        category: .health,
        severity: .medium,
        summary: "The liveness probe gives up sooner than readiness.",
        rationale: """
            A pod under load should leave rotation (readiness) before it is killed (liveness). When \
            liveness fails first, overload turns into a restart storm that removes capacity exactly \
            when it is needed.
            """,
        remediation: "Make initialDelaySeconds + periodSeconds × failureThreshold of the liveness probe at least that of the readiness probe.",
        notes: [
            "Absent fields take the documented defaults: initialDelaySeconds 0, periodSeconds 10, timeoutSeconds 1, failureThreshold 3.",
            "A timeoutSeconds as long as periodSeconds is not a finding: the kubelet runs one probe of a container at a time, so a long timeout only makes the probe more lenient.",
        ],
        examples: [
            .triggers(.kubernetes, "Liveness gives up after 5 s, readiness after 30 s", line: 14, column: 11, """
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
                          readinessProbe: {tcpSocket: {port: 80}}
                          livenessProbe: {tcpSocket: {port: 80}, periodSeconds: 5, failureThreshold: 1}
                """),
            .passes(.kubernetes, "A timeout as long as the period: probes do not overlap", """
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
                          livenessProbe: {httpGet: {path: /live, port: 80}, periodSeconds: 5, timeoutSeconds: 5}
                """),
            .passes(.kubernetes, "Liveness waits longer than readiness", """
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
                          readinessProbe: {httpGet: {path: /ready, port: 80}, periodSeconds: 5}
                          livenessProbe: {httpGet: {path: /live, port: 80}, failureThreshold: 6}
                """),
        ])

    public func evaluate(_ component: Component, in context: RuleContext) -> [Violation]? {
        let probed = component.containers.filter { $0.liveness != nil }
        guard !probed.isEmpty else { return nil }
        return probed.compactMap { container in
            guard let liveness = container.liveness else { return nil }
            if let readiness = container.readiness, let live = liveness.secondsToFailure,
               let ready = readiness.secondsToFailure, live < ready {
                return Violation(
                    "Container \(container.name) of \(component.title): the liveness probe gives up after \(live) s, "
                        + "before the readiness probe (\(ready) s); overloaded pods are restarted instead of taken out of rotation.",
                    at: liveness.location, related: [RelatedLocation("the readiness probe", at: readiness.location)], key: container.name)
            }
            return nil
        }
    }
}
