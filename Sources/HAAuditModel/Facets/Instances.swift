/// How many instances run, after autoscaling.
public struct Instances: Sendable {
    /// The fewest instances that run in normal operation: an autoscaler's minimum wins over a
    /// fixed count, because the autoscaler may scale down to it.
    public var minimum: Fact<Int>
    /// The count written on the workload itself.
    public var desired: Fact<Int>
    public var maximum: Fact<Int>?

    /// Whether more than one instance runs in normal operation.
    public var isReplicated: Bool {
        (minimum.value ?? 0) >= 2 || (desired.value ?? 0) >= 2
    }

    package init(minimum: Fact<Int>, desired: Fact<Int>, maximum: Fact<Int>? = nil) {
        self.minimum = minimum
        self.desired = desired
        self.maximum = maximum
    }
}

extension Instances: TopologyDescribable {
    package var topologyDescription: JSONValue {
        var counts: [(String, JSONValue)] = [("minimum", minimum.topologyDescription), ("desired", desired.topologyDescription)]
        if let maximum { counts.append(("maximum", maximum.topologyDescription)) }
        return .object(counts)
    }
}
