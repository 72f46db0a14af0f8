import HAAuditModel

/// A traffic-serving container that is stopped while it may still be sent requests.
public struct NoGracefulShutdown: Rule {
    public init() {}

    public let description = RuleDescription(
        name: "no-graceful-shutdown",
        code: "HA504",
        category: .disruption,
        severity: .low,
        summary: "A traffic-serving container is stopped before it leaves the endpoints.",
        rationale: """
            When a pod is deleted, the kubelet signals its containers while, in parallel, its \
            address is removed from Services, kube-proxy rules and load balancers. Without a \
            `preStop` delay the process exits while those still send it requests, so every \
            rollout, drain and scale-in drops requests. A grace period of 0, or one no longer than \
            the preStop sleep, kills the container before it can finish what it is serving.
            """,
        remediation: """
            Wait for the endpoints to be updated before stopping, within the grace period:

            ```yaml
            spec:
              terminationGracePeriodSeconds: 45
              containers:
                - name: web
                  lifecycle:
                    preStop:
                      sleep: {seconds: 10}   # Kubernetes 1.30+; or exec: {command: [sleep, "10"]}
            ```
            """,
        notes: [
            "Kubernetes: a container serves traffic when it declares a port or a Service selects its pods (as for `missing-readiness-probe`); DaemonSets, Jobs and init containers are not checked.",
            "Any preStop hook counts (exec, httpGet, sleep): what it does is not judged, only a sleep's length against the grace period (default 30 s). A sleep is the `sleep` handler or an exec command that runs `sleep N`, directly or in a shell.",
            "A grace period or a sleep that is a template placeholder is unknown: the finding is info.",
        ],
        examples: [
            .triggers(.kubernetes, "A web server without a preStop hook", line: 11, column: 11, """
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
                          ports: [{containerPort: 8080}]
                """),
            .triggers(.kubernetes, "A preStop sleep longer than the grace period", line: 10, column: 7, """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web}
                spec:
                  replicas: 2
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata: {labels: {app: web}}
                    spec:
                      terminationGracePeriodSeconds: 10
                      containers:
                        - name: web
                          image: example/web:1.4
                          ports: [{containerPort: 8080}]
                          lifecycle:
                            preStop:
                              exec: {command: [/bin/sh, -c, sleep 15]}
                """),
            .passes(.kubernetes, "A preStop sleep within the default grace period", """
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
                          ports: [{containerPort: 8080}]
                          lifecycle:
                            preStop:
                              sleep: {seconds: 10}
                """),
            .notApplicable(.kubernetes, "A queue worker: no port, and no Service selects it", """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: worker}
                spec:
                  replicas: 2
                  selector: {matchLabels: {app: worker}}
                  template:
                    metadata: {labels: {app: worker}}
                    spec:
                      containers: [{name: worker, image: example/worker:1}]
                """),
        ])

    public func evaluate(_ component: Component, in context: RuleContext) -> [Violation]? {
        let serving = component.containers.filter { $0.servesTraffic && $0.terminationGracePeriod != nil }
        guard !serving.isEmpty else { return nil }
        return serving.compactMap { container in
            guard let grace = container.terminationGracePeriod else { return nil }
            let subject = "Container \(container.name) of \(component.title)"
            if grace.value == 0 {
                return Violation("\(subject) is killed at once when its pod stops (\(grace.explained())): requests in flight and those still routed to it fail on every rollout and drain.",
                                 at: grace.location, key: container.name)
            }
            guard let preStop = container.preStop else {
                return Violation("\(subject) has no preStop hook: it stops while Services and load balancers still send it requests, which fail on every rollout and drain.",
                                 at: container.location, key: container.name)
            }
            guard let sleep = preStop.sleepSeconds else { return nil }
            if grace.isUnknown || sleep.isUnknown {
                let unknown = grace.isUnknown ? grace : sleep
                return Violation("\(subject) may be killed before its preStop sleep ends: \(unknown.explained()).",
                                 at: unknown.location, isUncertain: true, key: container.name)
            }
            guard let seconds = sleep.value, let period = grace.value, period <= seconds else { return nil }
            return Violation("\(subject) sleeps \(seconds) s before stopping but its pod's grace period is \(period) s (\(grace.explained())): it is killed with requests still in flight.",
                             at: grace.location, key: container.name)
        }
    }
}
