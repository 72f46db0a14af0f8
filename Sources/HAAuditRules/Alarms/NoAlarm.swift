import HAAuditModel

/// An AWS component that no alarm watches.
public struct NoAlarm: Rule {
    public init() {}

    public let description = RuleDescription(
        name: "no-alarm",
        code: "HA701",
        category: .alarms,
        severity: .medium,
        summary: "An AWS compute or data component is watched by no CloudWatch alarm.",
        rationale: """
            Redundancy buys time; an alarm is what tells someone to use it. A group that loses \
            instances, a database that fails over, a target group with no healthy targets: without \
            an alarm, the first to notice is a customer.
            """,
        remediation: "Add an AWS::CloudWatch::Alarm whose Dimensions reference the resource (Ref, Fn::GetAtt, Fn::Sub or Fn::Join) and whose AlarmActions notify someone.",
        notes: [
            "Checked for Auto Scaling groups, EC2 instances, load balancers and target groups, RDS instances and clusters, ECS services and ElastiCache. An alarm watches a resource when a dimension value (or a metric's, for metric-math alarms) references it, in the same template. An alarm whose Condition is false with the parameters' defaults is not created; the finding names it and the condition that creates it.",
            "Not checked where nothing long-lived is there to watch: an EC2 instance whose user data terminates it once its work is done (ec2 terminate-instances on its own instance id, or a shutdown with InstanceInitiatedShutdownBehavior terminate), a target group with no Targets that only listeners name and no output hands on, an Auto Scaling group that starts empty (no DesiredCapacity, MinSize 0, under the parameters' defaults) and that no load balancer or target group routes to.",
        ],
        examples: [
            .triggers(.cloudformation, "A group nobody watches", line: 3, column: 3, """
                AWSTemplateFormatVersion: '2010-09-09'
                Resources:
                  Workers:
                    Type: AWS::AutoScaling::AutoScalingGroup
                    Properties: {MinSize: '2', MaxSize: '4', AvailabilityZones: !GetAZs ''}
                """),
            .triggers(.cloudformation, "An alarm created only when an alert topic is given", line: 7, column: 3, """
                AWSTemplateFormatVersion: '2010-09-09'
                Parameters:
                  AlertTopicArn: {Type: String, Default: ''}
                Conditions:
                  HasAlertTopic: !Not [!Equals [!Ref AlertTopicArn, '']]
                Resources:
                  Workers:
                    Type: AWS::AutoScaling::AutoScalingGroup
                    Properties: {MinSize: '2', MaxSize: '4', AvailabilityZones: !GetAZs ''}
                  WorkersCpu:
                    Type: AWS::CloudWatch::Alarm
                    Condition: HasAlertTopic
                    Properties:
                      Namespace: AWS/EC2
                      MetricName: CPUUtilization
                      Dimensions: [{Name: AutoScalingGroupName, Value: !Ref Workers}]
                      Statistic: Average
                      Period: 60
                      EvaluationPeriods: 5
                      Threshold: 85
                      ComparisonOperator: GreaterThanThreshold
                      AlarmActions: [!Ref AlertTopicArn]
                """),
            .passes(.cloudformation, "An alarm on the group's CPU", """
                AWSTemplateFormatVersion: '2010-09-09'
                Resources:
                  Workers:
                    Type: AWS::AutoScaling::AutoScalingGroup
                    Properties: {MinSize: '2', MaxSize: '4', AvailabilityZones: !GetAZs ''}
                  Pager:
                    Type: AWS::SNS::Topic
                  WorkersCpu:
                    Type: AWS::CloudWatch::Alarm
                    Properties:
                      Namespace: AWS/EC2
                      MetricName: CPUUtilization
                      Dimensions: [{Name: AutoScalingGroupName, Value: !Ref Workers}]
                      Statistic: Average
                      Period: 60
                      EvaluationPeriods: 5
                      Threshold: 85
                      ComparisonOperator: GreaterThanThreshold
                      AlarmActions: [!Ref Pager]
                """),
        ])

    public func evaluate(_ component: Component, in context: RuleContext) -> [Violation]? {
        guard component.expectsAlarm, component.nothingToWatch == nil else { return nil }
        // A pool that starts empty and scales from zero on demand has nothing to degrade yet.
        if SingleReplica.scalesFromZeroOnDemand(component, in: context.topology), component.instances?.desired.value == 0 {
            return nil
        }
        guard !context.topology.hasIncoming(component, .monitors) else { return [] }
        if !component.alarmsBehindConditions.isEmpty {
            let byCondition = Dictionary(grouping: component.alarmsBehindConditions, by: \.value)
            let created = byCondition.keys.sorted().map { condition in
                let alarms = byCondition[condition]!.map(\.key).sorted()
                return "\(alarms.joined(separator: ", ")) \(alarms.count == 1 ? "exists" : "exist") only when condition \(condition) holds"
            }
            return [Violation("\(component.title) is watched by no CloudWatch alarm with the parameters' defaults: \(created.joined(separator: "; ")), false with the defaults; when it degrades, nobody is told.",
                              at: component.location)]
        }
        return [Violation("\(component.title) is watched by no CloudWatch alarm in the scanned templates; when it degrades, nobody is told.",
                          at: component.location)]
    }
}
