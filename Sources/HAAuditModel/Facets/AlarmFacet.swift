/// A CloudWatch alarm.
public struct AlarmFacet: Sendable {
    /// Where `AlarmActions` is written (the alarm itself when absent).
    public var actions: Fact<[String]>
    public var actionsEnabled: Fact<Bool>
    /// Whether one of its actions is EC2's recover action (`arn:aws:automate:<region>:ec2:recover`).
    public var recovers: Bool
    /// What acts on its state besides its own actions: a deployment it rolls back (SAM
    /// DeploymentPreference, CodeDeploy, ECS), a composite alarm or a Route 53 health check it
    /// feeds; nil when nothing does.
    public package(set) var consumer: Fact<String>?

    package init(actions: Fact<[String]>, actionsEnabled: Fact<Bool>, recovers: Bool) {
        self.actions = actions
        self.actionsEnabled = actionsEnabled
        self.recovers = recovers
    }
}

extension AlarmFacet: TopologyDescribable {
    package var topologyDescription: JSONValue {
        .object([
            ("actions", actions.topologyDescription),
            ("actionsEnabled", actionsEnabled.topologyDescription),
            ("recovers", .bool(recovers)),
        ] + (consumer.map { [("consumer", $0.topologyDescription)] } ?? []))
    }
}
