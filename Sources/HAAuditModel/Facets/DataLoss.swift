/// What keeps a stateful resource, and the data in it, from being destroyed by a change to the
/// stack that declares it: the service's own deletion protection, and what the stack does with
/// the resource when it deletes it or replaces it.
public struct DeletionSafeguards: Sendable {
    /// The service's deletion protection (RDS, DocumentDB, Neptune, DynamoDB); nil where the
    /// service has none.
    public var protection: Fact<Bool>?
    /// What the stack does with it when the stack is deleted or the resource removed from it
    /// (CloudFormation DeletionPolicy: Delete, Retain, RetainExceptOnCreate, Snapshot); nil when
    /// no stack manages it.
    public var onDelete: Fact<String>?
    /// What the stack does with the old resource when an update replaces it (CloudFormation
    /// UpdateReplacePolicy); nil when no stack manages it.
    public var onReplace: Fact<String>?

    package init(protection: Fact<Bool>?, onDelete: Fact<String>? = nil, onReplace: Fact<String>? = nil) {
        self.protection = protection
        self.onDelete = onDelete
        self.onReplace = onReplace
    }
}

extension DeletionSafeguards: TopologyDescribable {
    package var topologyDescription: JSONValue {
        .object([
            ("protection", protection?.topologyDescription ?? .null),
            ("onDelete", onDelete?.topologyDescription ?? .null),
            ("onReplace", onReplace?.topologyDescription ?? .null),
        ])
    }
}

/// Where the messages or events handed to it go when handling them fails, for something that
/// is handed them with nobody waiting for the answer: a function invoked asynchronously, a
/// queue.
public struct FailedMessages: Sendable {
    /// What hands it messages without waiting ("invoked asynchronously by AWS::SNS::Subscription
    /// Alerts"), and where that is written; nil when nothing is known to.
    public var asyncSource: Fact<String>?
    /// Where failed messages go (a dead-letter queue, an on-failure destination, a redrive
    /// policy); nil when nowhere.
    public var destination: Fact<String>?
    /// Why it is itself where others' failed messages go ("the dead-letter queue of Orders");
    /// nil when it is not known to be.
    public var deadLetterFor: String?

    package init(asyncSource: Fact<String>? = nil, destination: Fact<String>? = nil, deadLetterFor: String? = nil) {
        self.asyncSource = asyncSource
        self.destination = destination
        self.deadLetterFor = deadLetterFor
    }
}

extension FailedMessages: TopologyDescribable {
    package var topologyDescription: JSONValue {
        .object([
            ("asyncSource", asyncSource?.topologyDescription ?? .null),
            ("destination", destination?.topologyDescription ?? .null),
            ("deadLetterFor", deadLetterFor.map(JSONValue.string) ?? .null),
        ])
    }
}
