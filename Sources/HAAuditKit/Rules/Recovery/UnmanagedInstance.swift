/// Compute that nothing replaces when it dies.
public struct UnmanagedInstance: Rule {
    public init() {}

    public let description = RuleDescription(
        name: "unmanaged-instance",
        code: "HA401",
        category: .recovery,
        severity: .high,
        summary: "Nothing replaces this compute when it dies.",
        rationale: """
            A bare Pod is bound to its node: when the node fails, is drained or is upgraded, the Pod \
            is gone for good, because no controller exists to create it again.
            """,
        remediation: "Run it under a controller that recreates it: a Deployment (or a StatefulSet for stable identity), or a Job for work that completes.",
        platforms: [.kubernetes],
        examples: [
            .triggers(.kubernetes, "A bare Pod", line: 1, """
                apiVersion: v1
                kind: Pod
                metadata: {name: scratch}
                spec:
                  containers: [{name: scratch, image: busybox}]
                """),
            .passes(.kubernetes, "The same container under a Deployment", """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: scratch}
                spec:
                  replicas: 2
                  selector: {matchLabels: {app: scratch}}
                  template:
                    metadata: {labels: {app: scratch}}
                    spec:
                      containers: [{name: scratch, image: busybox}]
                """),
        ])

    public func evaluate(_ component: Component, in context: RuleContext) -> [Violation]? {
        guard let recovery = component.recovery else { return nil }
        guard recovery.value == Recovery.none else { return [] }
        return [Violation("\(component.title) is not managed by anything that replaces it (\(recovery.source)); when it dies, it stays dead.",
                          at: recovery.location)]
    }
}
