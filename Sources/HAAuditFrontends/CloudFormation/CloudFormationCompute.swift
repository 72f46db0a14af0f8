import HAAuditModel
import HAAuditReaders

/// Compute: Auto Scaling groups, EC2 instances, ECS services, EKS node groups, Lambda functions.
/// What they mean is AWS's (`AWSCompute`); here are the template's own parts: subnets, what
/// routes to them, update policies and task definitions.
extension CloudFormationLowering {
    mutating func autoScalingGroup(_ resource: Template.Resource) -> Component {
        let component = component(resource, role: .workload(.service))
        let desired = AWSCompute.autoScalingGroup(properties(resource), component)
        component.placement = Placement(confinedZones: zones(resource, "VPCZoneIdentifier") ?? zones(resource, "AvailabilityZones", ofSubnets: false))
        component.rollout = rollingUpdate(resource, desired: desired)
        for key in ["TargetGroupARNs", "LoadBalancerNames"] {
            guard let found = property(resource, key) else { continue }
            for target in Self.resourceIDs(found.value.value) {
                relate(.routesTo, from: target, to: resource.id, at: location(found.key))
            }
        }
        if let sources = resource.properties?.entry("TrafficSources") {
            for source in sources.value.items {
                for target in source["Identifier"].map({ Self.resourceIDs(template.evaluate($0).value) }) ?? [] {
                    relate(.routesTo, from: target, to: resource.id, at: location(sources.key))
                }
            }
        }
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
        AWSCompute.instance(properties(resource), component)
        if let found = property(resource, "SubnetId"), let subnet = subnetID(found.value.value) {
            relate(.runsIn, from: resource.id, to: subnet, at: location(found.key))
        }
        return component
    }

    mutating func ecsService(_ resource: Template.Resource) -> Component {
        let isDaemon = AWSCompute.ecsServiceIsDaemon(properties(resource))
        let component = component(resource, role: .workload(isDaemon ? .perNode : .service))
        AWSCompute.ecsService(properties(resource), component)
        if let subnets = zones(resource, "NetworkConfiguration", "AwsvpcConfiguration", "Subnets") {
            component.placement = Placement(confinedZones: subnets)
        }
        let balancers = resource.properties?.entry("LoadBalancers")
        for balancer in balancers?.value.items ?? [] {
            for target in balancer["TargetGroupArn"].map({ Self.resourceIDs(template.evaluate($0).value) }) ?? [] {
                relate(.routesTo, from: target, to: resource.id, at: location(balancer))
            }
        }
        // Like DaemonSets, daemon tasks are not expected to announce readiness.
        component.containers = isDaemon ? [] : taskContainers(resource, loadBalancers: balancers)
        return component
    }

    /// The containers of the service's task definition, when it is in this template. A load
    /// balancer's health check is the readiness signal of every container when there is one.
    private func taskContainers(_ resource: Template.Resource, loadBalancers: Node.Entry?) -> [Container] {
        guard case .resource(let id, nil)? = property(resource, "TaskDefinition")?.value.value,
              let task = template.resource(id), task.type == "AWS::ECS::TaskDefinition" else { return [] }
        let balanced = !(loadBalancers?.value.items.isEmpty ?? true)
        return (task.properties?["ContainerDefinitions"]?.items ?? []).map { definition in
            var container = Container(name: definition["Name"].map { template.evaluate($0).value.text ?? "(unnamed)" } ?? "(unnamed)",
                                      location: location(definition), servesTraffic: true, supportsLivenessProbe: false)
            if let check = definition.entry("HealthCheck") {
                container.readiness = healthCheckProbe(check)
            } else if balanced, let loadBalancers {
                container.readiness = Probe.external(at: location(loadBalancers.key), source: "the load balancer's health check")
            }
            return container
        }
    }

    /// A container definition's `HealthCheck` (Interval 30, Timeout 5, Retries 3, StartPeriod 0).
    private func healthCheckProbe(_ check: Node.Entry) -> Probe {
        let at = location(check.key)
        func timing(_ key: String, _ defaultValue: Int) -> Fact<Int> {
            guard let node = check.value[key] else { return .defaulted(defaultValue, at: at, source: "HealthCheck.\(key)") }
            let value = template.evaluate(node).value.text.flatMap { Int($0) }
            return value.map { .known($0, at: location(node), source: "HealthCheck.\(key)") }
                ?? .unknown(at: location(node), source: "HealthCheck.\(key)", reason: "it cannot be resolved")
        }
        let command = check.value["Command"]?.items.compactMap { template.evaluate($0).value.text } ?? []
        return Probe(location: at, handler: .exec(command), port: nil,
                     initialDelaySeconds: timing("StartPeriod", 0), periodSeconds: timing("Interval", 30),
                     timeoutSeconds: timing("Timeout", 5), failureThreshold: timing("Retries", 3),
                     successThreshold: .defaulted(1, at: at, source: "HealthCheck"))
    }

    mutating func eksNodegroup(_ resource: Template.Resource) -> Component {
        let component = component(resource, role: .workload(.service))
        AWSCompute.eksNodegroup(properties(resource), component)
        component.placement = zones(resource, "Subnets").map { Placement(confinedZones: $0) }
        return component
    }

    mutating func lambdaFunction(_ resource: Template.Resource) -> Component? {
        guard let subnets = zones(resource, "VpcConfig", "SubnetIds") else { return nil }
        let component = component(resource, role: .workload(.service))
        component.placement = Placement(confinedZones: subnets)
        return component
    }
}

extension Probe {
    /// A readiness signal that lives outside the container, such as a load balancer's health
    /// check: present, with the platform's timing unknown to haaudit.
    static func external(at location: SourceLocation, source: String) -> Probe {
        let unknown = Fact<Int>.unknown(at: location, source: source, reason: "set on the load balancer")
        return Probe(location: location, handler: .unspecified, port: nil, initialDelaySeconds: unknown,
                     periodSeconds: unknown, timeoutSeconds: unknown, failureThreshold: unknown, successThreshold: unknown)
    }
}
