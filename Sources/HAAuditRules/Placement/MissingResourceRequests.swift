import HAAuditModel

/// A long-running container that asks the scheduler for no CPU or no memory.
public struct MissingResourceRequests: Rule {
    public init() {}

    public let description = RuleDescription(
        name: "missing-resource-requests",
        code: "HA206",
        category: .placement,
        severity: .medium,
        summary: "A long-running container requests no CPU or no memory.",
        rationale: """
            The scheduler places pods by their requests. A pod without them is BestEffort (or \
            Burstable without the missing one): under node pressure the kubelet evicts it first, \
            and the scheduler, seeing no demand, packs every replica onto the same node, which \
            then fails under their real load and takes them all down together.
            """,
        remediation: """
            Request the CPU and memory the container needs at steady load:

            ```yaml
            resources:
              requests: {cpu: 250m, memory: 256Mi}
              limits: {memory: 256Mi}
            ```
            """,
        notes: [
            "Kubernetes copies `resources.limits` into absent requests, so a limit counts as a request.",
            "Deployments, StatefulSets, DaemonSets, ReplicaSets, ReplicationControllers, Argo Rollouts, DeploymentConfigs and bare Pods are checked; Jobs, CronJobs, Pods that run to completion and init containers are not, nor containers that only sleep or run the pause image.",
            "A LimitRange with `defaultRequest` gives containers requests when they are admitted; LimitRanges are not read, so such a namespace's containers are reported.",
            "A `resources` value that is a template placeholder is unknown: the finding is info.",
        ],
        examples: [
            .triggers(.kubernetes, "A container without resources", line: 11, column: 11, """
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
                """),
            .triggers(.kubernetes, "A memory request, no CPU", line: 14, column: 11, """
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
                      containers:
                        - name: db
                          image: postgres:16
                          resources:
                            requests: {memory: 1Gi}
                """),
            .passes(.kubernetes, "Limits only: Kubernetes copies them into the requests", """
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
                          image: example/agent:2.0
                          resources:
                            limits: {cpu: 100m, memory: 128Mi}
                """),
            .notApplicable(.kubernetes, "A Job", """
                apiVersion: batch/v1
                kind: Job
                metadata: {name: migrate}
                spec:
                  template:
                    spec:
                      restartPolicy: Never
                      containers: [{name: migrate, image: example/migrate:1}]
                """),
        ])

    public func evaluate(_ component: Component, in context: RuleContext) -> [Violation]? {
        guard let shape = component.workloadShape, shape != .batch else { return nil }
        let judged = component.containers.filter { $0.requests != nil && !$0.isPlaceholder }
        guard !judged.isEmpty else { return nil }
        return judged.compactMap { container in
            guard let requests = container.requests else { return nil }
            let missing = [("CPU", requests.cpu), ("memory", requests.memory)].filter { $0.1.value != true }
            guard !missing.isEmpty else { return nil }
            let unknown = missing.first { $0.1.isUnknown }
            let what = missing.map(\.0).joined(separator: " and no ")
            let consequence = missing.count == 2
                ? "its pods are BestEffort, evicted first under node pressure, and the scheduler may pack every replica onto one node"
                : "the scheduler does not count it, so replicas may pack onto one node and be evicted under pressure"
            let message = if let unknown {
                "Container \(container.name) of \(component.title) may request no \(what): \(unknown.1.explained())."
            } else {
                "Container \(container.name) of \(component.title) requests no \(what) (neither in resources.requests nor in resources.limits): \(consequence)."
            }
            return Violation(message, at: missing[0].1.location, isUncertain: unknown != nil, key: container.name)
        }
    }
}
