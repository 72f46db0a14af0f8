/// A long-running container with no liveness probe.
public struct MissingLivenessProbe: Rule {
    public init() {}

    public let description = RuleDescription(
        name: "missing-liveness-probe",
        code: "HA302",
        category: .health,
        severity: .low,
        summary: "A long-running container has no liveness probe.",
        rationale: """
            A process that deadlocks or wedges without exiting is never restarted unless something \
            asks whether it is alive. The liveness probe is that question.
            """,
        remediation: """
            Add a liveness probe on a cheap endpoint that fails only when a restart would help, with a \
            failure budget longer than the readiness probe's:

            ```yaml
            livenessProbe:
              httpGet: {path: /live, port: http}
              periodSeconds: 10
              failureThreshold: 6
            ```
            """,
        platforms: [.kubernetes],
        notes: ["Jobs and CronJobs run to completion and are not checked."],
        examples: [
            .triggers(.kubernetes, "A container without a liveness probe", line: 11, """
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
                """),
            .passes(.kubernetes, "A liveness probe", """
                apiVersion: apps/v1
                kind: DaemonSet
                metadata: {name: agent}
                spec:
                  selector: {matchLabels: {app: agent}}
                  template:
                    metadata: {labels: {app: agent}}
                    spec:
                      containers:
                        - name: agent
                          image: example/agent
                          livenessProbe:
                            exec: {command: [agent, health]}
                """),
        ])

    public func evaluate(_ component: Component, in context: RuleContext) -> [Violation]? {
        guard let shape = component.workloadShape, shape != .batch, !component.containers.isEmpty else { return nil }
        return component.containers.filter { $0.liveness == nil }.map { container in
            Violation("Container \(container.name) of \(component.title) has no liveness probe; a hung process is never restarted.",
                      at: container.location)
        }
    }
}
