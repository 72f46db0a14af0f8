import HAAuditModel

/// A liveness probe that waits out start-up with a long initial delay instead of a startup probe.
public struct MissingStartupProbe: Rule {
    public init() {}

    static let maxInitialDelay = RuleParameter("maxInitialDelaySeconds", default: 60,
                                               "the longest liveness initialDelaySeconds accepted without a startup probe")

    public let description = RuleDescription(
        name: "missing-startup-probe",
        code: "HA307",
        category: .health,
        severity: .low,
        summary: "A liveness probe relies on a long initial delay instead of a startup probe.",
        rationale: """
            A long `initialDelaySeconds` guesses how slow start-up is. When start-up is slower \
            (a cold cache, a migration, a loaded node), the liveness probe kills the container \
            before it is up, again and again: a restart loop exactly when capacity is needed. \
            When it is faster, a container that hangs early is not restarted until the delay ends. \
            A startup probe holds the liveness probe off until the container has started, however \
            long that takes, and lets the liveness probe react quickly afterwards.
            """,
        remediation: """
            Move the wait into a startup probe and drop the delay:

            ```yaml
            startupProbe:
              httpGet: {path: /healthz, port: http}
              periodSeconds: 10
              failureThreshold: 30   # up to 300 s to start
            livenessProbe:
              httpGet: {path: /healthz, port: http}
            ```
            """,
        parameters: [maxInitialDelay],
        notes: [
            "A container with a startup probe is not judged. The threshold (60 s by default, the point past which Kubernetes' documentation and kube-score-style reviews suggest a startup probe) is the parameter `maxInitialDelaySeconds`.",
            "Kubernetes only: startup probes exist since Kubernetes 1.16 (stable in 1.20). Other platforms' health checks have no such probe.",
            "A delay that is a template placeholder is unknown: the finding is info.",
        ],
        examples: [
            .triggers(.kubernetes, "A five-minute initial delay", line: 15, column: 13, """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: search}
                spec:
                  replicas: 2
                  selector: {matchLabels: {app: search}}
                  template:
                    metadata: {labels: {app: search}}
                    spec:
                      containers:
                        - name: search
                          image: example/search:3.1
                          livenessProbe:
                            httpGet: {path: /healthz, port: 9200}
                            initialDelaySeconds: 300
                """),
            .passes(.kubernetes, "The same delay, with a startup probe", """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: search}
                spec:
                  replicas: 2
                  selector: {matchLabels: {app: search}}
                  template:
                    metadata: {labels: {app: search}}
                    spec:
                      containers:
                        - name: search
                          image: example/search:3.1
                          startupProbe:
                            httpGet: {path: /healthz, port: 9200}
                            failureThreshold: 30
                          livenessProbe:
                            httpGet: {path: /healthz, port: 9200}
                            initialDelaySeconds: 300
                """),
            .passes(.kubernetes, "A short initial delay", """
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
                          image: example/web:1.4
                          livenessProbe:
                            httpGet: {path: /healthz, port: 8080}
                            initialDelaySeconds: 15
                """),
        ])

    public func evaluate(_ component: Component, in context: RuleContext) -> [Violation]? {
        // Only Kubernetes has startup probes: elsewhere (Service Fabric's Docker HEALTHCHECK) the
        // initial delay is the only way to wait out start-up.
        guard component.platform == .kubernetes else { return nil }
        let probed = component.containers.filter { $0.supportsLivenessProbe && $0.liveness != nil }
        guard !probed.isEmpty else { return nil }
        let limit = context.parameter(Self.maxInitialDelay)
        return probed.compactMap { container in
            guard container.startup == nil, let delay = container.liveness?.initialDelaySeconds else { return nil }
            let subject = "Container \(container.name) of \(component.title)"
            if delay.isUnknown {
                return Violation("\(subject) may wait out start-up with its liveness probe's initial delay instead of a startup probe: \(delay.explained()).",
                                 at: delay.location, isUncertain: true, key: container.name)
            }
            guard let seconds = delay.value, seconds > limit else { return nil }
            return Violation("\(subject) waits out start-up with its liveness probe (\(delay.explained()), more than \(limit) s) instead of a startup probe: a start slower than that is killed and restarted in a loop.",
                             at: delay.location, key: container.name)
        }
    }
}
