import HAAuditModel

/// A function that may run no invocation at all.
public struct DisabledFunction: Rule {
    public init() {}

    public let description = RuleDescription(
        name: "disabled-function",
        code: "HA103",
        category: .redundancy,
        severity: .high,
        summary: "A Lambda function's reserved concurrency is 0: every invocation is throttled.",
        rationale: """
            Reserved concurrency caps how many invocations of a function run at once; 0 caps them \
            at none. Every call is throttled: synchronous callers get errors, asynchronous events \
            are retried and then dropped, queues back up. It is the switch operators flip to stop \
            a function in an emergency, and left in a template it ships the function switched off.
            """,
        remediation: """
            Remove ReservedConcurrentExecutions to share the account's pool, or reserve what the \
            function needs at its peak:

            ```yaml
            Resize:
              Type: AWS::Lambda::Function
              Properties:
                ReservedConcurrentExecutions: 50
            ```
            """,
        notes: [
            "Where ReservedConcurrentExecutions is not written the function shares the account's unreserved concurrency: not reported.",
            "A value from a parameter without a default makes the finding info.",
            "`haaudit simulate` counts such a function as down in every scenario.",
        ],
        examples: [
            .triggers(.cloudformation, "A function switched off by reserved concurrency", line: 9, column: 7, """
                AWSTemplateFormatVersion: '2010-09-09'
                Resources:
                  Resize:
                    Type: AWS::Lambda::Function
                    Properties:
                      Runtime: python3.12
                      Handler: app.handler
                      Role: arn:aws:iam::123456789012:role/resize
                      ReservedConcurrentExecutions: 0
                      Code: {ZipFile: "def handler(event, context): pass"}
                """),
            .passes(.cloudformation, "A function with reserved concurrency", """
                AWSTemplateFormatVersion: '2010-09-09'
                Resources:
                  Resize:
                    Type: AWS::Lambda::Function
                    Properties:
                      Runtime: python3.12
                      Handler: app.handler
                      Role: arn:aws:iam::123456789012:role/resize
                      ReservedConcurrentExecutions: 20
                      Code: {ZipFile: "def handler(event, context): pass"}
                """),
        ])

    public func evaluate(_ component: Component, in context: RuleContext) -> [Violation]? {
        guard let limit = component.concurrencyLimit else { return nil }
        if limit.isUnknown {
            return [Violation("\(component.title): whether it may run at all is unknown; \(limit.explained()).",
                              at: limit.location, isUncertain: true)]
        }
        guard limit.value == 0 else { return [] }
        return [Violation("\(component.title) may run no invocation at all (\(limit.explained())): every call is throttled.",
                          at: limit.location)]
    }
}
