import HAAuditModel
import HAAuditReaders

/// Compute: Auto Scaling groups, EC2 instances, ECS services, EKS node groups, Lambda functions.
/// What they mean is AWS's (`AWSCompute`); here is the template's own part, the update policy.
extension CloudFormationLowering {
    mutating func autoScalingGroup(_ resource: Template.Resource) -> Component {
        let component = component(resource, role: .workload(.service))
        let desired = AWSCompute.autoScalingGroup(properties(resource), component, relationships: &relationships)
        component.rollout = rollingUpdate(resource, desired: desired)
        return component
    }

    /// `UpdatePolicy.AutoScalingRollingUpdate`: CloudFormation replaces up to MaxBatchSize
    /// instances at a time (default 1) while keeping MinInstancesInService (default 0).
    private func rollingUpdate(_ resource: Template.Resource, desired: Fact<Int>) -> Rollout? {
        guard let policy = resource.node[path: "UpdatePolicy"]?.entry("AutoScalingRollingUpdate") else { return nil }
        func number(_ key: String, _ defaultValue: Int) -> Int? {
            guard let node = policy.value[key] else { return defaultValue }
            return template.evaluate(node).value.text.flatMap { Int($0) }
        }
        let at = location(policy.value.entry("MinInstancesInService")?.key ?? policy.key)
        let source = "UpdatePolicy.AutoScalingRollingUpdate"
        let strategy = Fact<Rollout.Strategy>.known(.rolling, at: location(policy.key), source: source)
        guard let inService = number("MinInstancesInService", 0), let batch = number("MaxBatchSize", 1), let count = desired.value else {
            return Rollout(strategy: strategy, maxUnavailable: .unknown(at: at, source: source, reason: "its counts cannot be resolved"))
        }
        let down = max(0, min(batch, count - inService))
        return Rollout(strategy: strategy, maxUnavailable: .known(.count(down), at: at,
                                                                  source: "the rolling update's batch (MaxBatchSize \(batch) with MinInstancesInService \(inService))"))
    }

    mutating func instance(_ resource: Template.Resource) -> Component {
        let component = component(resource, role: .workload(.standalone))
        AWSCompute.instance(properties(resource), component, relationships: &relationships)
        return component
    }

    mutating func ecsService(_ resource: Template.Resource) -> Component {
        let isDaemon = AWSCompute.ecsServiceIsDaemon(properties(resource))
        let component = component(resource, role: .workload(isDaemon ? .perNode : .service))
        AWSCompute.ecsService(properties(resource), component, relationships: &relationships)
        return component
    }

    mutating func eksNodegroup(_ resource: Template.Resource) -> Component {
        let component = component(resource, role: .workload(.service))
        AWSCompute.eksNodegroup(properties(resource), component, relationships: &relationships)
        return component
    }

    mutating func lambdaFunction(_ resource: Template.Resource) -> Component? {
        guard let placement = AWSCompute.lambdaFunctionPlacement(properties(resource), relationships: &relationships) else { return nil }
        let component = component(resource, role: .workload(.service))
        component.placement = placement
        return component
    }
}
