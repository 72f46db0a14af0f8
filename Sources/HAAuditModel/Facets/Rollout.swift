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

    /// What the platform does when new instances never become healthy.
    public enum FailureResponse: String, Sendable {
        /// It returns to the last version that worked (ECS circuit breaker with rollback).
        case rollBack = "roll back"
        /// It marks the deployment failed and leaves old and new instances as they are.
        case stop
        /// It keeps replacing failing instances, for hours (ECS without the circuit breaker).
        case keepTrying = "keep trying"
    }

    /// How many instances a rolling update may start above the desired count; with a
    /// maxUnavailable of 0 as well, it can replace nothing.
    public var maxSurge: Fact<IntOrPercent>?
    /// What a failed deployment does, where the platform lets the author choose (ECS).
    public var onFailure: Fact<FailureResponse>?
}

extension Rollout.Strategy: TopologyDescribable {
    package var topologyDescription: JSONValue { .string(rawValue) }
}

extension Rollout.FailureResponse: TopologyDescribable {
    package var topologyDescription: JSONValue { .string(rawValue) }
}

extension Rollout: TopologyDescribable {
    package var topologyDescription: JSONValue {
        var items: [(String, JSONValue)] = [("strategy", strategy.topologyDescription)]
        if let maxUnavailable { items.append(("maxUnavailable", maxUnavailable.topologyDescription)) }
        if let maxSurge { items.append(("maxSurge", maxSurge.topologyDescription)) }
        if let onFailure { items.append(("onFailure", onFailure.topologyDescription)) }
        if let revisionHistoryLimit { items.append(("revisionHistoryLimit", revisionHistoryLimit.topologyDescription)) }
        return .object(items)
    }
}
