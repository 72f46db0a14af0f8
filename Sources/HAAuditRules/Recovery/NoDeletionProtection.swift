import HAAuditModel

/// A stateful resource that deleting the stack, removing it from the template or an update that
/// replaces it destroys with its data.
public struct NoDeletionProtection: Rule {
    public init() {}

    public let description = RuleDescription(
        name: "no-deletion-protection",
        code: "HA405",
        category: .recovery,
        severity: .medium,
        summary: "A stateful resource that a stack update or delete can destroy with its data.",
        rationale: """
            A template edit that changes a property needing replacement (an engine, a name, a key \
            schema), a resource renamed or dropped from the template, or a stack deleted by mistake \
            makes CloudFormation delete the database, table, file system, cache or search domain \
            with everything in it. Everything that depends on it is down until it is rebuilt and \
            its data restored, if a backup exists. Deletion protection makes that delete fail; a \
            Retain or Snapshot policy keeps the resource or its data.
            """,
        remediation: """
            Turn the service's deletion protection on where it has one, or keep the resource when \
            the stack lets go of it:

            ```yaml
            OrdersDb:
              Type: AWS::RDS::DBCluster
              DeletionPolicy: Snapshot
              UpdateReplacePolicy: Snapshot
              Properties:
                Engine: aurora-postgresql
                DeletionProtection: true
            ```
            """,
        notes: [
            "CloudFormation's defaults: DeletionPolicy is Snapshot for AWS::RDS::DBCluster and for an AWS::RDS::DBInstance without DBClusterIdentifier, Delete for every other type; UpdateReplacePolicy is Delete for every type.",
            "Deletion protection (RDS instances and clusters, DocumentDB and Neptune clusters: DeletionProtection; DynamoDB tables: DeletionProtectionEnabled; all default false) makes CloudFormation's delete fail, whatever the policies: a resource with it on passes. ElastiCache, EFS and OpenSearch have none: only a DeletionPolicy and an UpdateReplacePolicy other than Delete (Retain, RetainExceptOnCreate or Snapshot) keep them.",
            "Judged: RDS instances (not Aurora members, which the cluster holds the data of, nor read replicas), RDS, Aurora, DocumentDB and Neptune clusters, DynamoDB tables, EFS file systems, ElastiCache replication groups and cache clusters, OpenSearch and Elasticsearch domains. One finding per resource names every policy that deletes it.",
            "A policy or protection given by a parameter without a default (or a condition that does not resolve) makes the finding info; so does an RDS instance whose Engine does not resolve (it may be an Aurora instance, whose data its cluster holds).",
            "Whether a backup (no-backup) would let the data be restored is not judged here: a restore is an outage of its own.",
        ],
        examples: [
            .triggers(.cloudformation, "A DynamoDB table on CloudFormation's defaults", line: 3, column: 3, """
                AWSTemplateFormatVersion: '2010-09-09'
                Resources:
                  Orders:
                    Type: AWS::DynamoDB::Table
                    Properties:
                      BillingMode: PAY_PER_REQUEST
                      AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
                      KeySchema: [{AttributeName: id, KeyType: HASH}]
                """),
            .triggers(.cloudformation, "An Aurora cluster whose replacement deletes it", line: 3, column: 3, """
                AWSTemplateFormatVersion: '2010-09-09'
                Resources:
                  Catalog:
                    Type: AWS::RDS::DBCluster
                    Properties:
                      Engine: aurora-postgresql
                """),
            .triggers(.cloudformation, "A policy from a parameter without a default", line: 8, column: 5, severity: .info, """
                AWSTemplateFormatVersion: '2010-09-09'
                Parameters:
                  Policy:
                    Type: String
                Resources:
                  Files:
                    Type: AWS::EFS::FileSystem
                    DeletionPolicy: !Ref Policy
                    UpdateReplacePolicy: Retain
                """),
            .passes(.cloudformation, "An RDS instance with deletion protection", """
                AWSTemplateFormatVersion: '2010-09-09'
                Resources:
                  OrdersDb:
                    Type: AWS::RDS::DBInstance
                    Properties:
                      Engine: postgres
                      MultiAZ: true
                      DeletionProtection: true
                """),
            .passes(.cloudformation, "A cache kept on delete and on replacement", """
                AWSTemplateFormatVersion: '2010-09-09'
                Resources:
                  Sessions:
                    Type: AWS::ElastiCache::ReplicationGroup
                    DeletionPolicy: Snapshot
                    UpdateReplacePolicy: Snapshot
                    Properties:
                      ReplicationGroupDescription: sessions
                      Engine: redis
                      NumCacheClusters: 2
                      AutomaticFailoverEnabled: true
                """),
            .passes(.cloudformation, "A DynamoDB table with deletion protection", """
                AWSTemplateFormatVersion: '2010-09-09'
                Resources:
                  Orders:
                    Type: AWS::DynamoDB::Table
                    Properties:
                      BillingMode: PAY_PER_REQUEST
                      DeletionProtectionEnabled: true
                      AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
                      KeySchema: [{AttributeName: id, KeyType: HASH}]
                """),
        ])

    public func evaluate(_ component: Component, in context: RuleContext) -> [Violation]? {
        guard let safeguards = component.deletionSafeguards, let onDelete = safeguards.onDelete,
              let onReplace = safeguards.onReplace else { return nil }
        let protection = safeguards.protection
        // Deletion protection makes CloudFormation's delete of it fail, on a stack delete and
        // after a replacement alike.
        if protection?.value == true { return [] }
        let deleting = [onDelete, onReplace].filter { $0.value == "Delete" }
        let unprotected = protection.map { $0.explained { $0 ? "true" : "false" } } ?? "the service has no deletion protection"
        let unknown = protection.flatMap { $0.isUnknown ? ($0.explained(), $0.location) : nil }
            ?? [onDelete, onReplace].first(where: \.isUnknown).map { ($0.explained(), $0.location) }
        if let (unresolved, location) = unknown, deleting.isEmpty || protection?.isUnknown == true {
            return [Violation("\(component.title): whether a stack update or delete destroys it is unknown; \(unresolved).",
                              at: location, isUncertain: true)]
        }
        guard let first = deleting.first else { return [] }
        let when = switch (onDelete.value == "Delete", onReplace.value == "Delete") {
        case (true, true): "the stack is deleted, the resource removed from it or an update replaces it"
        case (true, false): "the stack is deleted or the resource removed from it"
        default: "an update replaces it"
        }
        let policies = deleting.map { $0.explained() }.joined(separator: ", and ")
        return [Violation("\(component.title) is deleted with its data when \(when) (\(policies)), and \(unprotected).",
                          at: first.location)]
    }
}
