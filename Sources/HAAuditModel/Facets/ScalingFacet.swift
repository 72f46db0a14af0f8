/// What moves a workload's instance count between its minimum and maximum (`Instances`): an ECS
/// service's scalable target, or an Auto Scaling group's own scaling, with the scaling policies
/// that follow load and the scheduled actions that change the bounds by the clock.
public struct ScalingFacet: Sendable {
    /// What holds the bounds: "ScalableTarget ApiScaling", "Auto Scaling group".
    public var scaler: String
    public var location: SourceLocation
    /// The scaling policies that act on it, each by name where it is declared.
    public var policies: [Fact<String>]
    /// The scheduled actions that act on it, each by name where it is declared.
    public var scheduledActions: [Fact<String>]

    package init(scaler: String, location: SourceLocation, policies: [Fact<String>] = [], scheduledActions: [Fact<String>] = []) {
        self.scaler = scaler
        self.location = location
        self.policies = policies
        self.scheduledActions = scheduledActions
    }
}

extension ScalingFacet: TopologyDescribable {
    package var topologyDescription: JSONValue {
        .object([("scaler", .string(scaler)), ("policies", policies.topologyDescription),
                 ("scheduledActions", scheduledActions.topologyDescription)])
    }
}
