import HAAuditModel

/// An alarm that changes state and does nothing.
public struct AlarmWithoutAction: Rule {
    public init() {}

    public let description = RuleDescription(
        name: "alarm-without-action",
        code: "HA702",
        category: .alarms,
        severity: .medium,
        summary: "A CloudWatch alarm has no AlarmActions, or its actions are disabled.",
        rationale: """
            An alarm without an action goes into ALARM on a dashboard nobody is looking at. It \
            looks like monitoring in review and pages nobody in an incident.
            """,
        remediation: "Give it AlarmActions (an SNS topic that pages, an Auto Scaling policy, the EC2 recover action), and leave ActionsEnabled at its default, true.",
        notes: [
            "An alarm that something declared alongside acts on is not reported: a deployment that rolls back when it fires (a SAM function's DeploymentPreference.Alarms, a CodeDeploy deployment group's AlarmConfiguration, an ECS service's DeploymentConfiguration.Alarms), a composite alarm whose AlarmRule names it, a Route 53 health check's AlarmIdentifier. It is found by reference or by its AlarmName.",
        ],
        examples: [
            .triggers(.cloudformation, "No AlarmActions", line: 3, column: 3, """
                AWSTemplateFormatVersion: '2010-09-09'
                Resources:
                  Cpu:
                    Type: AWS::CloudWatch::Alarm
                    Properties:
                      Namespace: AWS/EC2
                      MetricName: CPUUtilization
                      Statistic: Average
                      Period: 300
                      EvaluationPeriods: 1
                      Threshold: 90
                      ComparisonOperator: GreaterThanThreshold
                """),
            .triggers(.cloudformation, "Actions disabled", line: 12, column: 7, """
                AWSTemplateFormatVersion: '2010-09-09'
                Resources:
                  Cpu:
                    Type: AWS::CloudWatch::Alarm
                    Properties:
                      Namespace: AWS/EC2
                      MetricName: CPUUtilization
                      Statistic: Average
                      Period: 300
                      EvaluationPeriods: 1
                      Threshold: 90
                      ActionsEnabled: false
                      ComparisonOperator: GreaterThanThreshold
                      AlarmActions: [arn:aws:sns:eu-west-1:123456789012:pager]
                """),
            .passes(.cloudformation, "An alarm that rolls back a SAM function's deployments", """
                AWSTemplateFormatVersion: '2010-09-09'
                Transform: AWS::Serverless-2016-10-31
                Resources:
                  Api:
                    Type: AWS::Serverless::Function
                    Properties:
                      Runtime: python3.12
                      Handler: app.handler
                      CodeUri: src/
                      AutoPublishAlias: live
                      DeploymentPreference:
                        Type: Canary10Percent5Minutes
                        Alarms: [!Ref ApiErrors]
                  ApiErrors:
                    Type: AWS::CloudWatch::Alarm
                    Properties:
                      Namespace: AWS/Lambda
                      MetricName: Errors
                      Dimensions: [{Name: FunctionName, Value: !Ref Api}]
                      Statistic: Sum
                      Period: 60
                      EvaluationPeriods: 1
                      Threshold: 0
                      ComparisonOperator: GreaterThanThreshold
                """),
            .passes(.cloudformation, "An alarm that pages", """
                AWSTemplateFormatVersion: '2010-09-09'
                Resources:
                  Cpu:
                    Type: AWS::CloudWatch::Alarm
                    Properties:
                      Namespace: AWS/EC2
                      MetricName: CPUUtilization
                      Statistic: Average
                      Period: 300
                      EvaluationPeriods: 1
                      Threshold: 90
                      ComparisonOperator: GreaterThanThreshold
                      AlarmActions: [arn:aws:sns:eu-west-1:123456789012:pager]
                """),
        ])

    public func evaluate(_ component: Component, in context: RuleContext) -> [Violation]? {
        guard let alarm = component.alarm else { return nil }
        // A deployment that rolls back on it, or an alarm or health check that reads it, acts on it.
        guard alarm.consumer == nil else { return [] }
        if alarm.actionsEnabled.value == false {
            return [Violation("\(component.title) has its actions disabled (\(alarm.actionsEnabled.explained())): it changes state and nothing happens.",
                              at: alarm.actionsEnabled.location)]
        }
        guard alarm.actions.value?.isEmpty == true else { return [] }
        return [Violation("\(component.title) has no AlarmActions: it changes state and nothing happens.", at: alarm.actions.location)]
    }
}
