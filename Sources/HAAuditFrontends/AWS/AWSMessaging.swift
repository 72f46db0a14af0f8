import HAAuditModel

/// Lambda functions and SQS queues: how much a function may run at once, and where the events
/// and messages that fail go when nobody waits for the answer. A function invoked
/// asynchronously (by SNS, EventBridge, S3) is retried twice, then the event is dropped unless
/// a dead-letter queue or an on-failure destination takes it; a queue's message is received
/// until it expires unless a redrive policy moves it aside.
enum AWSMessaging {
    /// Where a function runs (its VPC subnets' zones), its reserved concurrency and its
    /// dead-letter queue.
    static func lambdaFunction(_ properties: some AWSResourceProperties, _ component: Component,
                               relationships: inout [AWSRelationship]) {
        component.placement = AWSPlacement.subnetZones(properties, "VpcConfig", "SubnetIds", relationships: &relationships)
            .map { Placement(confinedZones: $0) }
        // Unreserved (shared with the account's other functions) where it is not written.
        component.concurrencyLimit = properties.int("ReservedConcurrentExecutions", default: nil)
        if let target = destination(properties, "DeadLetterConfig", "TargetArn") {
            component.failedMessages = FailedMessages(destination: target)
        }
    }

    /// A queue holds its messages until they are received and deleted; its redrive policy moves
    /// a message received too often to a dead-letter queue.
    static func queue(_ properties: some AWSResourceProperties, _ component: Component) {
        let source = Fact<String>.known("an SQS queue (a message that keeps failing is received again until its retention period ends, then deleted)",
                                        at: properties.location, source: properties.type)
        component.failedMessages = FailedMessages(asyncSource: source, destination: destination(properties, "RedrivePolicy"))
    }

    /// A property that names where failed messages go, as a fact: unknown where it does not resolve.
    private static func destination(_ properties: some AWSResourceProperties, _ path: String...) -> Fact<String>? {
        guard let found = properties.property(path) else { return nil }
        let source = path.joined(separator: ".")
        if let reason = found.value.unknownReason { return .unknown(at: found.key, source: source, reason: reason) }
        let named = found.value.resourceIDs.first ?? properties.resourcesNamed(in: path)?.ids.first
        return .known(named ?? found.value.text ?? source, at: found.key, source: source, note: found.note)
    }

    /// The service principals that invoke a function asynchronously, by `AWS::Lambda::Permission`.
    private static let asyncPrincipals: Set<String> = ["sns.amazonaws.com", "events.amazonaws.com", "s3.amazonaws.com"]

    /// Functions learn what invokes them asynchronously and their on-failure destinations;
    /// queues learn that they are others' dead-letter queues.
    static func link<Properties: AWSResourceProperties>(_ resources: [Properties], components: [String: Component]) {
        func functions(_ resource: Properties, _ path: [String]) -> [Component] {
            (resource.resourcesNamed(in: path)?.ids ?? []).compactMap { components[$0] }.filter { $0.kind == "AWS::Lambda::Function" }
        }
        func invoked(_ function: Component, by resource: Properties, at location: SourceLocation) {
            guard function.failedMessages?.asyncSource == nil else { return }
            var failed = function.failedMessages ?? FailedMessages()
            failed.asyncSource = .known("invoked asynchronously by \(resource.type) \(resource.id) (Lambda retries a failed event twice, then drops it)", at: location, source: resource.type)
            function.failedMessages = failed
        }
        var deadLetterFor: [String: String] = [:]
        func deadLetters(of resource: Properties, _ path: [String]) {
            for id in resource.resourcesNamed(in: path)?.ids ?? [] where id != resource.id && deadLetterFor[id] == nil {
                deadLetterFor[id] = "\(resource.type) \(resource.id) sends failed messages to it (\(path.joined(separator: ".")))"
            }
        }
        for resource in resources where resource.absentUnlessCondition == nil {
            switch resource.type {
            case "AWS::SNS::Subscription":
                if resource.text("Protocol")?.lowercased() == "lambda" {
                    functions(resource, ["Endpoint"]).forEach { invoked($0, by: resource, at: resource.location) }
                }
                deadLetters(of: resource, ["RedrivePolicy"])
            case "AWS::SNS::Topic":
                for subscription in resource.objects(["Subscription"])?.items ?? [] where subscription.text("Protocol")?.lowercased() == "lambda" {
                    functions(subscription, ["Endpoint"]).forEach { invoked($0, by: resource, at: subscription.location) }
                }
            case "AWS::Events::Rule":
                for target in resource.objects(["Targets"])?.items ?? [] {
                    functions(target, ["Arn"]).forEach { invoked($0, by: resource, at: target.location) }
                    deadLetters(of: target, ["DeadLetterConfig"])
                }
            case "AWS::S3::Bucket":
                for notification in resource.objects(["NotificationConfiguration", "LambdaConfigurations"])?.items ?? [] {
                    functions(notification, ["Function"]).forEach { invoked($0, by: resource, at: notification.location) }
                }
            case "AWS::Lambda::Permission":
                if let principal = resource.text("Principal"), asyncPrincipals.contains(principal) {
                    functions(resource, ["FunctionName"]).forEach { invoked($0, by: resource, at: resource.location) }
                }
            case "AWS::Lambda::EventInvokeConfig":
                guard let onFailure = destination(resource, "DestinationConfig", "OnFailure", "Destination") else { continue }
                for function in functions(resource, ["FunctionName"]) where function.failedMessages?.destination == nil {
                    var failed = function.failedMessages ?? FailedMessages()
                    failed.destination = onFailure
                    function.failedMessages = failed
                }
                deadLetters(of: resource, ["DestinationConfig", "OnFailure"])
            case "AWS::Lambda::Function":
                deadLetters(of: resource, ["DeadLetterConfig"])
            case "AWS::Lambda::EventSourceMapping":
                deadLetters(of: resource, ["DestinationConfig", "OnFailure"])
            case "AWS::SQS::Queue":
                deadLetters(of: resource, ["RedrivePolicy"])
            default:
                break
            }
        }
        for resource in resources where resource.type == "AWS::SQS::Queue" {
            guard let queue = components[resource.id] else { continue }
            queue.failedMessages?.deadLetterFor = deadLetterFor[resource.id] ?? ownDeadLetterRole(resource)
        }
    }

    /// Why a queue is a dead-letter queue by its own settings: a redrive allow policy (which
    /// says which queues may use it as theirs), or a name that says so (its users are then
    /// declared elsewhere).
    private static func ownDeadLetterRole(_ queue: some AWSResourceProperties) -> String? {
        if queue.isSet("RedriveAllowPolicy") { return "its RedriveAllowPolicy lets other queues use it as their dead-letter queue" }
        let names = [queue.id, queue.text("QueueName") ?? ""].map { $0.lowercased().filter(\.isLetter) }
        if names.contains(where: { $0.contains("dlq") || $0.contains("deadletter") }) { return "its name says it is a dead-letter queue" }
        return nil
    }
}
