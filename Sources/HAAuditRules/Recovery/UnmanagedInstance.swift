import HAAuditModel

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
            is gone for good, because no controller exists to create it again. A standalone EC2 \
            instance is the same: when its host fails, nothing launches a replacement.
            """,
        remediation: "Run it under a controller that recreates it: a Deployment (or a StatefulSet for stable identity), or a Job for work that completes; on AWS, an Auto Scaling group (even of one), or at least a CloudWatch alarm on StatusCheckFailed_System whose action is arn:aws:automate:<region>:ec2:recover.",
        notes: [
            "An EC2 instance whose user data ends it once its work is done is a one-shot task, like a Job, and is not checked: the user data terminates the instance it runs on (ec2 terminate-instances with the instance id from the instance metadata), or shuts it down (shutdown, poweroff, halt) while InstanceInitiatedShutdownBehavior is terminate.",
        ],
        examples: [
            .triggers(.kubernetes, "A bare Pod", line: 1, column: 1, """
                apiVersion: v1
                kind: Pod
                metadata: {name: scratch}
                spec:
                  containers: [{name: scratch, image: busybox}]
                """),
            .triggers(.cloudformation, "A standalone EC2 instance", line: 3, column: 3, """
                AWSTemplateFormatVersion: '2010-09-09'
                Resources:
                  Bastion:
                    Type: AWS::EC2::Instance
                    Properties: {ImageId: ami-12345678, InstanceType: t3.micro}
                """),
            .passes(.cloudformation, "An instance with a recover alarm", """
                AWSTemplateFormatVersion: '2010-09-09'
                Resources:
                  Ledger:
                    Type: AWS::EC2::Instance
                    Properties: {ImageId: ami-12345678, InstanceType: m6i.large}
                  LedgerRecovery:
                    Type: AWS::CloudWatch::Alarm
                    Properties:
                      Namespace: AWS/EC2
                      MetricName: StatusCheckFailed_System
                      Dimensions: [{Name: InstanceId, Value: !Ref Ledger}]
                      Statistic: Maximum
                      Period: 60
                      EvaluationPeriods: 2
                      Threshold: 0
                      ComparisonOperator: GreaterThanThreshold
                      AlarmActions: [!Sub 'arn:aws:automate:${AWS::Region}:ec2:recover']
                """),
            .notApplicable(.cloudformation, "A one-shot instance that shuts itself down and is terminated", """
                AWSTemplateFormatVersion: '2010-09-09'
                Resources:
                  Seeder:
                    Type: AWS::EC2::Instance
                    Properties:
                      ImageId: ami-12345678
                      InstanceType: t3.micro
                      InstanceInitiatedShutdownBehavior: terminate
                      UserData:
                        Fn::Base64: !Sub |
                          #!/bin/bash
                          aws s3 cp s3://${AWS::StackName}-seed/data.sql /tmp/ && psql -f /tmp/data.sql
                          shutdown -h now
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
        if case .platform = recovery.value { return nil }
        guard recovery.value == Recovery.none else { return [] }
        return [Violation("\(component.title) is not managed by anything that replaces it (\(recovery.source)); when it dies, it stays dead.",
                          at: recovery.location)]
    }
}
