import HAAuditModel

/// A data store that keeps no automated backup.
public struct NoBackup: Rule {
    public init() {}

    public let description = RuleDescription(
        name: "no-backup",
        code: "HA403",
        category: .recovery,
        severity: .medium,
        summary: "A data store keeps no automated backup.",
        rationale: """
            A standby protects against a failed node, not against a bad migration, a deleted \
            table or corrupted writes, which replicate to the standby at once. Only a backup taken \
            before the mistake brings the data back.
            """,
        remediation: "Turn automated backups on: RDS BackupRetentionPeriod of 1 or more (7 is common), DynamoDB point-in-time recovery, an ElastiCache Redis SnapshotRetentionLimit of 1 or more, EFS BackupPolicy ENABLED.",
        notes: [
            "Defaults: RDS BackupRetentionPeriod 1 (on), DynamoDB point-in-time recovery off, ElastiCache SnapshotRetentionLimit 0 (off; a Serverless cache too, of every engine, since it takes no daily snapshot unless told to), EFS backup policy off when created through CloudFormation.",
            "A data store that an AWS::Backup::BackupSelection of the same template selects is backed up: by ARN in Resources (Fn::GetAtt X.Arn, Ref X, ${X} in Fn::Sub, or *), or by its tags (any of ListOfTags; all StringEquals and StringNotEquals of Conditions).",
            "A custom resource (Custom::* or AWS::CloudFormation::CustomResource) handed the data store (Ref, Fn::GetAtt, Fn::Sub) together with a property whose name mentions snapshot, backup or retention may configure its backups in code haaudit cannot read: the finding is info and names it.",
        ],
        examples: [
            .triggers(.cloudformation, "Snapshots turned on by a custom resource", line: 3, column: 3, severity: .info, """
                AWSTemplateFormatVersion: '2010-09-09'
                Resources:
                  Cache:
                    Type: AWS::ElastiCache::ReplicationGroup
                    Properties:
                      ReplicationGroupDescription: sessions
                      Engine: redis
                      CacheNodeType: cache.t3.small
                      NumCacheClusters: 2
                      AutomaticFailoverEnabled: true
                  EnableSnapshots:
                    Type: Custom::EnableSnapshots
                    Properties:
                      ServiceToken: arn:aws:lambda:eu-west-1:123456789012:function:enable-snapshots
                      ReplicationGroupId: !Ref Cache
                      SnapshotRetentionLimit: 7
                """),
            .triggers(.cloudformation, "Backups turned off on an RDS instance", line: 8, column: 7, """
                AWSTemplateFormatVersion: '2010-09-09'
                Resources:
                  AuditDb:
                    Type: AWS::RDS::DBInstance
                    Properties:
                      Engine: mysql
                      MultiAZ: true
                      BackupRetentionPeriod: 0
                """),
            .triggers(.cloudformation, "A DynamoDB table without point-in-time recovery", line: 3, column: 3, """
                AWSTemplateFormatVersion: '2010-09-09'
                Resources:
                  Events:
                    Type: AWS::DynamoDB::Table
                    Properties:
                      BillingMode: PAY_PER_REQUEST
                      AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
                      KeySchema: [{AttributeName: id, KeyType: HASH}]
                """),
            .passes(.cloudformation, "An EFS file system that an AWS Backup plan selects by ARN", """
                AWSTemplateFormatVersion: '2010-09-09'
                Resources:
                  Files:
                    Type: AWS::EFS::FileSystem
                  Plan:
                    Type: AWS::Backup::BackupPlan
                    Properties:
                      BackupPlan:
                        BackupPlanName: daily
                        BackupPlanRule: [{RuleName: daily, TargetBackupVault: Default}]
                  Selection:
                    Type: AWS::Backup::BackupSelection
                    Properties:
                      BackupPlanId: !Ref Plan
                      BackupSelection:
                        SelectionName: files
                        IamRoleArn: arn:aws:iam::123456789012:role/backup
                        Resources:
                          - !Sub arn:${AWS::Partition}:elasticfilesystem:${AWS::Region}:${AWS::AccountId}:file-system/${Files}
                """),
            .passes(.cloudformation, "A DynamoDB table that an AWS Backup plan selects by tag", """
                AWSTemplateFormatVersion: '2010-09-09'
                Resources:
                  Events:
                    Type: AWS::DynamoDB::Table
                    Properties:
                      BillingMode: PAY_PER_REQUEST
                      AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
                      KeySchema: [{AttributeName: id, KeyType: HASH}]
                      Tags: [{Key: backup, Value: daily}]
                  Selection:
                    Type: AWS::Backup::BackupSelection
                    Properties:
                      BackupPlanId: plan-0123
                      BackupSelection:
                        SelectionName: tagged
                        IamRoleArn: arn:aws:iam::123456789012:role/backup
                        ListOfTags: [{ConditionType: STRINGEQUALS, ConditionKey: backup, ConditionValue: daily}]
                """),
            .passes(.cloudformation, "The RDS default of one day", """
                AWSTemplateFormatVersion: '2010-09-09'
                Resources:
                  OrdersDb:
                    Type: AWS::RDS::DBInstance
                    Properties:
                      Engine: postgres
                      MultiAZ: true
                """),
        ])

    public func evaluate(_ component: Component, in context: RuleContext) -> [Violation]? {
        guard !component.backupRequirements.isEmpty else { return nil }
        // An AWS Backup plan backs it up whatever its own settings say.
        guard component.backedUpBy == nil else { return [] }
        for requirement in component.backupRequirements {
            guard let unmet = requirement.unmet else { continue }
            if let setter = component.backupMayBeSetBy {
                return [Violation("\(component.title) keeps no automated backup by its own settings (\(unmet.fact)), but backups may be configured by \(setter.value ?? setter.source), which is handed the data store and a snapshot, backup or retention setting.",
                                  at: unmet.location, isUncertain: true)]
            }
            if unmet.isUnknown {
                return [Violation("\(component.title): whether it keeps automated backups is unknown; \(unmet.fact).", at: unmet.location, isUncertain: true)]
            }
            return [Violation("\(component.title) keeps no automated backup (\(unmet.fact)); a bad write or deletion cannot be undone.",
                              at: unmet.location)]
        }
        return []
    }
}
