import HAAuditModel
import HAAuditReaders

/// The one part of compute that is CloudFormation's own: how it replaces an Auto Scaling
/// group's instances when the stack is updated. What the group means is AWS's (`AWSCompute`).
extension CloudFormationLowering {
    /// `UpdatePolicy.AutoScalingRollingUpdate`: CloudFormation replaces up to MaxBatchSize
    /// instances at a time (default 1) while keeping MinInstancesInService (default 0) of the
    /// desired capacity, and may launch new instances first while MaxSize leaves room.
    func rollingUpdate(_ resource: Template.Resource, desired: Fact<Int>) -> Rollout? {
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
        var rollout = Rollout(strategy: strategy, maxUnavailable: .known(.count(down), at: at,
                                                                         source: "the rolling update's batch (MaxBatchSize \(batch) with MinInstancesInService \(inService))"))
        // CloudFormation may launch new instances before it stops old ones, up to MaxSize: the
        // room above MinInstancesInService ("must be less than the MaxSize").
        if let maximum = properties(resource).int("MaxSize", default: nil) {
            rollout.maxSurge = maximum.value.map {
                .known(.count(max(0, $0 - inService)), at: at, source: "the room MaxSize \($0) leaves above MinInstancesInService \(inService)")
            } ?? maximum.map { .count($0) }
        }
        return rollout
    }
}
