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
}

extension AutoscalerFacet: TopologyDescribable {
    var topologyDescription: JSONValue {
        var items: [(String, JSONValue)] = [("target", .string("\(targetKind)/\(targetName)")),
                                            ("minReplicas", minReplicas.topologyDescription)]
        if let maxReplicas { items.append(("maxReplicas", maxReplicas.topologyDescription)) }
        return .object(items)
    }
}
