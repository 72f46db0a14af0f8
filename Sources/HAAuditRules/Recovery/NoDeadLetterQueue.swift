import HAAuditModel

/// Events or messages that nobody waits for, with nowhere to go when handling them fails.
public struct NoDeadLetterQueue: Rule {
    public init() {}

    public let description = RuleDescription(
        name: "no-dead-letter-queue",
        code: "HA406",
        category: .recovery,
        severity: .low,
        summary: "An asynchronously invoked Lambda function or an SQS queue has no dead-letter target: failed messages are lost.",
        rationale: """
            When a function invoked asynchronously fails (a bad deploy, a dependency down, \
            throttling), Lambda retries the event twice and then drops it; a queue's message that \
            keeps failing is received again and again until its retention period ends, then \
            deleted, blocking a FIFO group all the while. Nobody sees what was lost, and nothing \
            can be replayed once the fault is fixed. A dead-letter queue or an on-failure \
            destination keeps every failed event for inspection and redrive.
            """,
        remediation: """
            Give the function a dead-letter queue (or an AWS::Lambda::EventInvokeConfig with \
            DestinationConfig.OnFailure), and the queue a redrive policy:

            ```yaml
            Jobs:
              Type: AWS::SQS::Queue
              Properties:
                RedrivePolicy:
                  deadLetterTargetArn: !GetAtt JobsDeadLetter.Arn
                  maxReceiveCount: 5
            JobsDeadLetter:
              Type: AWS::SQS::Queue
              Properties:
                MessageRetentionPeriod: 1209600
            ```
            """,
        notes: [
            "A function is asynchronously invoked when an SNS subscription (AWS::SNS::Subscription with Protocol lambda, or a topic's Subscription list), an EventBridge rule's target, an S3 bucket notification or an AWS::Lambda::Permission for sns.amazonaws.com, events.amazonaws.com or s3.amazonaws.com names it in the same template. Functions invoked otherwise (API Gateway, load balancers, event source mappings that poll SQS, Kinesis or DynamoDB streams: synchronous, where the source's own retry and redrive apply) are not judged.",
            "A dead-letter target is the function's DeadLetterConfig.TargetArn or an AWS::Lambda::EventInvokeConfig's DestinationConfig.OnFailure naming it; an EventBridge target's own DeadLetterConfig catches failed deliveries only, not the function's failures.",
            "A queue that is itself a dead-letter queue is not judged: one that another queue's RedrivePolicy, a function's DeadLetterConfig, an on-failure destination, an EventBridge target's or an SNS subscription's dead-letter setting names, one with a RedriveAllowPolicy, or one whose logical ID or QueueName says so (DLQ, DeadLetter).",
            "A destination from a parameter without a default makes the finding info.",
        ],
        examples: [
            .triggers(.cloudformation, "A function an SNS topic invokes, with no dead-letter queue", line: 3, column: 3, """
                AWSTemplateFormatVersion: '2010-09-09'
                Resources:
                  Notify:
                    Type: AWS::Lambda::Function
                    Properties:
                      Runtime: python3.12
                      Handler: app.handler
                      Role: arn:aws:iam::123456789012:role/notify
                      Code: {ZipFile: "def handler(event, context): pass"}
                  Alerts:
                    Type: AWS::SNS::Topic
                    Properties:
                      Subscription:
                        - Protocol: lambda
                          Endpoint: !GetAtt Notify.Arn
                """),
            .triggers(.cloudformation, "A queue without a redrive policy", line: 3, column: 3, """
                AWSTemplateFormatVersion: '2010-09-09'
                Resources:
                  Jobs:
                    Type: AWS::SQS::Queue
                    Properties:
                      VisibilityTimeout: 60
                """),
            .passes(.cloudformation, "An EventBridge target with an on-failure destination, and its dead-letter queue", """
                AWSTemplateFormatVersion: '2010-09-09'
                Resources:
                  Nightly:
                    Type: AWS::Lambda::Function
                    Properties:
                      Runtime: python3.12
                      Handler: app.handler
                      Role: arn:aws:iam::123456789012:role/nightly
                      Code: {ZipFile: "def handler(event, context): pass"}
                  Schedule:
                    Type: AWS::Events::Rule
                    Properties:
                      ScheduleExpression: rate(1 day)
                      Targets: [{Id: nightly, Arn: !GetAtt Nightly.Arn}]
                  NightlyFailures:
                    Type: AWS::Lambda::EventInvokeConfig
                    Properties:
                      FunctionName: !Ref Nightly
                      Qualifier: $LATEST
                      DestinationConfig:
                        OnFailure: {Destination: !GetAtt Failed.Arn}
                  Failed:
                    Type: AWS::SQS::Queue
                    Properties:
                      MessageRetentionPeriod: 1209600
                """),
            .passes(.cloudformation, "A queue with a redrive policy, and its dead-letter queue", """
                AWSTemplateFormatVersion: '2010-09-09'
                Resources:
                  Jobs:
                    Type: AWS::SQS::Queue
                    Properties:
                      RedrivePolicy:
                        deadLetterTargetArn: !GetAtt Parked.Arn
                        maxReceiveCount: 5
                  Parked:
                    Type: AWS::SQS::Queue
                """),
        ])

    public func evaluate(_ component: Component, in context: RuleContext) -> [Violation]? {
        guard let failed = component.failedMessages, let source = failed.asyncSource else { return nil }
        // Where others' failed messages go needs no dead-letter queue of its own.
        guard failed.deadLetterFor == nil else { return [] }
        let related = source.location == component.location ? [] : [RelatedLocation("what invokes it", at: source.location)]
        if let destination = failed.destination {
            guard destination.isUnknown else { return [] }
            return [Violation("\(component.title): whether failed messages are kept is unknown; \(destination.explained()).",
                              at: destination.location, related: related, isUncertain: true)]
        }
        return [Violation("\(component.title) is \(source.value ?? source.source); with no dead-letter queue, on-failure destination or redrive policy, what keeps failing is lost.",
                          at: component.location, related: related)]
    }
}
