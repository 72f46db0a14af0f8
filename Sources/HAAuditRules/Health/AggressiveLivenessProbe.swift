import HAAuditModel

/// A liveness probe that gives up before readiness does, or that times out no sooner than it repeats.
public struct AggressiveLivenessProbe: Rule {
    public init() {}

    public let description = RuleDescription(
        name: "aggressive-liveness-probe",
        code: "HA304",
        category: .health,
        severity: .medium,
        summary: "The liveness probe gives up sooner than readiness, or its timeout is not below its period.",
        rationale: """
            A pod under load should leave rotation (readiness) before it is killed (liveness). When \
            liveness fails first, overload turns into a restart storm that removes capacity exactly \
            when it is needed. A timeout as long as the period means probes overlap and a slow answer \
            counts as a failure.
            """,
        remediation: "Make initialDelaySeconds + periodSeconds × failureThreshold of the liveness probe at least that of the readiness probe, and timeoutSeconds below periodSeconds.",
        notes: ["Absent fields take the documented defaults: initialDelaySeconds 0, periodSeconds 10, timeoutSeconds 1, failureThreshold 3."],
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
            .triggers(.kubernetes, "A timeout as long as the period", line: 12, column: 79, """
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
            if let timeout = liveness.timeoutSeconds.value, let period = liveness.periodSeconds.value, timeout >= period {
                return Violation(
                    "Container \(container.name) of \(component.title): the liveness probe's timeoutSeconds (\(timeout)) is not below its periodSeconds (\(period)).",
                    at: liveness.timeoutSeconds.location, key: container.name)
            }
            return nil
        }
    }
}
