import HAAuditModel

/// A suppression that gives no reason, or names a rule that does not exist.
public struct UnjustifiedSuppression: Rule {
    public init() {}

    public let description = RuleDescription(
        name: "unjustified-suppression",
        code: "HA001",
        category: .hygiene,
        severity: .info,
        summary: "A suppression gives no reason, or names a rule that does not exist.",
        rationale: """
            A suppression is a decision someone will have to revisit: without the reason, the \
            next reader cannot tell an accepted risk from a silenced alarm. A suppression naming a \
            rule that does not exist (a typo, a renamed rule) silences nothing and hides that fact.
            """,
        remediation: "Write why next to the rule: `ignore.haaudit.dev/single-replica: \"leader election; a second replica only waits\"`, and spell the rule as `haaudit rules` lists it.",
        notes: ["The suppression still applies; this finding (info) only records that it is unexplained."],
        examples: [
            .triggers(.kubernetes, "An annotation without a reason", line: 5, column: 17, """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: leader
                  annotations: {ignore.haaudit.dev/single-replica: ""}
                spec:
                  replicas: 1
                  selector: {matchLabels: {app: leader}}
                """),
            .triggers(.kubernetes, "A suppression of a rule that does not exist", line: 5, column: 17, """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: leader
                  annotations: {ignore.haaudit.dev/single-replicas: "leader election"}
                spec:
                  replicas: 1
                  selector: {matchLabels: {app: leader}}
                """),
            .passes(.kubernetes, "A suppression that says why", """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: leader
                  annotations: {ignore.haaudit.dev/single-replica: "leader election; a second replica only waits"}
                spec:
                  replicas: 1
                  selector: {matchLabels: {app: leader}}
                """),
            .triggers(.cloudformation, "Resource metadata without a reason", line: 7, column: 18, """
                AWSTemplateFormatVersion: '2010-09-09'
                Resources:
                  Scratch:
                    Type: AWS::RDS::DBInstance
                    Metadata:
                      haaudit:
                        ignore: {single-instance-datastore: ""}
                    Properties: {Engine: postgres, MultiAZ: false}
                """),
            .passes(.cloudformation, "Resource metadata with a reason", """
                AWSTemplateFormatVersion: '2010-09-09'
                Resources:
                  Scratch:
                    Type: AWS::RDS::DBInstance
                    Metadata:
                      haaudit:
                        ignore: {single-instance-datastore: "preview environments only"}
                    Properties: {Engine: postgres, MultiAZ: false}
                """),
            .triggers(.servicefabric, "A comment without a reason", line: 5, column: 5, file: "ApplicationPackageRoot/ApplicationManifest.xml", """
                <?xml version="1.0" encoding="utf-8"?>
                <ApplicationManifest ApplicationTypeName="ShopType" ApplicationTypeVersion="1.0.0" xmlns="http://schemas.microsoft.com/2011/01/fabric">
                  <DefaultServices>
                    <!-- haaudit:ignore single-replica -->
                    <Service Name="Scheduler">
                      <StatelessService ServiceTypeName="SchedulerType" InstanceCount="1"><SingletonPartition /></StatelessService>
                    </Service>
                  </DefaultServices>
                </ApplicationManifest>
                """),
            .passes(.servicefabric, "A comment with a reason", file: "ApplicationPackageRoot/ApplicationManifest.xml", """
                <?xml version="1.0" encoding="utf-8"?>
                <ApplicationManifest ApplicationTypeName="ShopType" ApplicationTypeVersion="1.0.0" xmlns="http://schemas.microsoft.com/2011/01/fabric">
                  <DefaultServices>
                    <!-- haaudit:ignore single-replica the scheduler must run exactly once -->
                    <Service Name="Scheduler">
                      <StatelessService ServiceTypeName="SchedulerType" InstanceCount="1"><SingletonPartition /></StatelessService>
                    </Service>
                  </DefaultServices>
                </ApplicationManifest>
                """),
            .triggers(.cloudservices, "A comment before a role, without a reason", line: 4, column: 3, file: "ServiceDefinition.csdef", """
                <?xml version="1.0" encoding="utf-8"?>
                <ServiceDefinition name="Shop" xmlns="http://schemas.microsoft.com/ServiceHosting/2008/10/ServiceDefinition">
                  <!-- haaudit:ignore single-replica -->
                  <WorkerRole name="Batch" vmsize="Small" />
                </ServiceDefinition>
                """),
            .passes(.cloudservices, "A comment before a role, with a reason", file: "ServiceDefinition.csdef", """
                <?xml version="1.0" encoding="utf-8"?>
                <ServiceDefinition name="Shop" xmlns="http://schemas.microsoft.com/ServiceHosting/2008/10/ServiceDefinition">
                  <!-- haaudit:ignore single-replica the nightly batch tolerates a missed run -->
                  <WorkerRole name="Batch" vmsize="Small" />
                </ServiceDefinition>
                """),
        ])

    public func evaluate(_ component: Component, in context: RuleContext) -> [Violation]? {
        guard !component.suppressions.isEmpty else { return nil }
        return component.suppressions.sorted { $0.key < $1.key }.compactMap { rule, suppression in
            if rule != "all", RuleCatalog.rule(named: rule) == nil {
                return Violation("\(component.title) suppresses '\(rule)', which is no rule haaudit knows; it silences nothing.",
                                 at: suppression.location, key: rule)
            }
            guard suppression.reason == nil else { return nil }
            return Violation("\(component.title) suppresses \(rule) without saying why.", at: suppression.location, key: rule)
        }
    }
}
