import HAAuditModel

/// A Deployment that keeps no old revision to roll back to.
public struct NoRollbackHistory: Rule {
    public init() {}

    public let description = RuleDescription(
        name: "no-rollback-history",
        code: "HA506",
        category: .disruption,
        severity: .low,
        summary: "A Deployment keeps no old revision to roll back to.",
        rationale: """
            `kubectl rollout undo` returns to an old ReplicaSet. With `revisionHistoryLimit: 0` \
            every old ReplicaSet is deleted as soon as a rollout finishes: when a release turns out \
            bad, there is nothing to return to, and recovery waits for someone to find and reapply \
            the previous manifest.
            """,
        remediation: "Keep a few revisions: remove `revisionHistoryLimit` (default 10) or set it to 3 or more.",
        notes: [
            "Deployments only (default 10). StatefulSets and DaemonSets keep ControllerRevisions under the same setting but are not judged, and Argo Rollouts are not read for it.",
            "A value that is a template placeholder is unknown: the finding is info.",
        ],
        examples: [
            .triggers(.kubernetes, "No revision kept", line: 6, column: 3, """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web}
                spec:
                  replicas: 2
                  revisionHistoryLimit: 0
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata: {labels: {app: web}}
                    spec:
                      containers: [{name: web, image: example/web:1.4}]
                """),
            .passes(.kubernetes, "The default history", """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web}
                spec:
                  replicas: 2
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata: {labels: {app: web}}
                    spec:
                      containers: [{name: web, image: example/web:1.4}]
                """),
            .notApplicable(.kubernetes, "A StatefulSet: only Deployments are judged", """
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
        guard let limit = component.rollout?.revisionHistoryLimit else { return nil }
        if limit.isUnknown {
            return [Violation("\(component.title) may keep no old revision to roll back to: \(limit.explained()).", at: limit.location, isUncertain: true)]
        }
        guard limit.value == 0 else { return [] }
        return [Violation("\(component.title) keeps no old revision (\(limit.explained())): `kubectl rollout undo` has nothing to return to after a bad release.",
                          at: limit.location)]
    }
}
