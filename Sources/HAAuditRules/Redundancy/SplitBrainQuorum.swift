import HAAuditModel

/// A cluster whose dedicated masters cannot keep a majority through the loss of one.
public struct SplitBrainQuorum: Rule {
    public init() {}

    public let description = RuleDescription(
        name: "split-brain-quorum",
        code: "HA104",
        category: .redundancy,
        severity: .medium,
        summary: "An OpenSearch domain's dedicated masters are fewer than three, or an even number.",
        rationale: """
            The master nodes elect the cluster's leader by majority. One or two masters keep no \
            majority once one is lost (a node failure, a blue/green deployment, its zone), and \
            the cluster stops accepting writes until it is back. An even count tolerates no more \
            losses than one fewer would, and split evenly over two zones it leaves neither side a \
            majority.
            """,
        remediation: """
            Run three dedicated masters (five for the largest domains), one per zone:

            ```yaml
            ClusterConfig:
              DedicatedMasterEnabled: true
              DedicatedMasterCount: 3
              ZoneAwarenessEnabled: true
              ZoneAwarenessConfig: {AvailabilityZoneCount: 3}
            ```
            """,
        notes: [
            "AWS recommends three dedicated master nodes; Multi-AZ with Standby requires three.",
            "Only domains with DedicatedMasterEnabled true and a DedicatedMasterCount written are judged. Without dedicated masters the data nodes elect the leader, and how many there are and whether zone awareness is on is single-instance-datastore's (fewer than three data nodes, or zone awareness off): this rule does not report them again.",
            "A count (or DedicatedMasterEnabled) from a parameter without a default makes the finding info.",
        ],
        examples: [
            .triggers(.cloudformation, "Two dedicated masters", line: 9, column: 9, """
                AWSTemplateFormatVersion: '2010-09-09'
                Resources:
                  Search:
                    Type: AWS::OpenSearchService::Domain
                    Properties:
                      ClusterConfig:
                        InstanceCount: 3
                        DedicatedMasterEnabled: true
                        DedicatedMasterCount: 2
                        ZoneAwarenessEnabled: true
                        ZoneAwarenessConfig: {AvailabilityZoneCount: 3}
                """),
            .passes(.cloudformation, "Three dedicated masters", """
                AWSTemplateFormatVersion: '2010-09-09'
                Resources:
                  Search:
                    Type: AWS::OpenSearchService::Domain
                    Properties:
                      ClusterConfig:
                        InstanceCount: 3
                        DedicatedMasterEnabled: true
                        DedicatedMasterCount: 3
                        ZoneAwarenessEnabled: true
                        ZoneAwarenessConfig: {AvailabilityZoneCount: 3}
                """),
        ])

    public func evaluate(_ component: Component, in context: RuleContext) -> [Violation]? {
        guard let masters = component.dedicatedMasters else { return nil }
        guard let count = masters.value else {
            return [Violation("\(component.title): whether its dedicated masters keep a majority is unknown; \(masters.explained()).",
                              at: masters.location, isUncertain: true)]
        }
        guard count < 3 || count % 2 == 0 else { return [] }
        let majority = count / 2 + 1
        let why = count < 3
            ? "a leader needs \(majority) of \(count) to be elected, so losing one master (a node, a deployment, its zone) stops the cluster taking writes"
            : "a leader needs \(majority) of \(count), so it survives no more losses than \(count - 1) masters would, and split evenly over two zones neither side keeps a majority"
        return [Violation("\(component.title) has \(count) dedicated master \(count == 1 ? "node" : "nodes") (\(masters.explained())): \(why).",
                          at: masters.location)]
    }
}
