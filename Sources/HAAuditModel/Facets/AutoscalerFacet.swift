/// A HorizontalPodAutoscaler (or any autoscaler targeting a workload by name).
public struct AutoscalerFacet: Sendable {
    public var targetKind: String
    public var targetName: String
    public var targetLocation: SourceLocation
    /// Whether the target's kind is one the frontend models, so that a missing target is known
    /// to be missing rather than, say, a custom resource of an operator.
    public var targetKindIsModelled: Bool
    public var minReplicas: Fact<Int>
    public var maxReplicas: Fact<Int>?

    package init(
        targetKind: String,
        targetName: String,
        targetLocation: SourceLocation,
        targetKindIsModelled: Bool,
        minReplicas: Fact<Int>,
        maxReplicas: Fact<Int>? = nil
    ) {
        self.targetKind = targetKind
        self.targetName = targetName
        self.targetLocation = targetLocation
        self.targetKindIsModelled = targetKindIsModelled
        self.minReplicas = minReplicas
        self.maxReplicas = maxReplicas
    }
}

extension AutoscalerFacet: TopologyDescribable {
    package var topologyDescription: JSONValue {
        var items: [(String, JSONValue)] = [("target", .string("\(targetKind)/\(targetName)")),
                                            ("minReplicas", minReplicas.topologyDescription)]
        if let maxReplicas { items.append(("maxReplicas", maxReplicas.topologyDescription)) }
        return .object(items)
    }
}
