/// How a workload replaces its instances on an update.
public struct Rollout: Sendable {
    public enum Strategy: String, Sendable {
        /// Instances are replaced a few at a time (RollingUpdate).
        case rolling
        /// Every instance is stopped before the new ones start (Recreate).
        case recreate
        /// Instances are replaced only when someone deletes them (StatefulSet OnDelete).
        case manual
        /// The platform rolls on without watching health (Service Fabric UnmonitoredAuto).
        case unmonitored
    }

    public var strategy: Fact<Strategy>
    /// How many instances a rolling update may take down at once.
    public var maxUnavailable: Fact<IntOrPercent>?
    /// How many old revisions are kept to roll back to (Kubernetes `revisionHistoryLimit`,
    /// default 10); nil where the platform keeps none of its own.
    public var revisionHistoryLimit: Fact<Int>?

    public init(strategy: Fact<Strategy>, maxUnavailable: Fact<IntOrPercent>? = nil) {
        self.strategy = strategy
        self.maxUnavailable = maxUnavailable
    }
}

extension Rollout.Strategy: TopologyDescribable {
    package var topologyDescription: JSONValue { .string(rawValue) }
}

extension Rollout: TopologyDescribable {
    package var topologyDescription: JSONValue {
        var items: [(String, JSONValue)] = [("strategy", strategy.topologyDescription)]
        if let maxUnavailable { items.append(("maxUnavailable", maxUnavailable.topologyDescription)) }
        if let revisionHistoryLimit { items.append(("revisionHistoryLimit", revisionHistoryLimit.topologyDescription)) }
        return .object(items)
    }
}
