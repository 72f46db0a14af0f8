/// Compute: Auto Scaling groups, EC2 instances, ECS services, EKS node groups, Lambda functions.
extension CloudFormationLowering {
    mutating func autoScalingGroup(_ resource: Template.Resource) -> Component {
        let component = component(resource, role: .workload(.service))
        let minimum = intFact(resource, "MinSize", default: nil)
            ?? .unknown(at: location(resource), source: "MinSize", reason: "MinSize is required but missing")
        // "If you do not specify a desired capacity, the default is the minimum size of the group."
        let desired = intFact(resource, "DesiredCapacity", default: nil) ?? minimum
        component.instances = Instances(minimum: minimum, desired: desired, maximum: intFact(resource, "MaxSize", default: nil))
        component.recovery = .known(.controller("Auto Scaling group"), at: location(resource), source: "Auto Scaling group")
        component.placement = Placement(confinedZones: zones(resource, "VPCZoneIdentifier") ?? zones(resource, "AvailabilityZones", ofSubnets: false))
        component.replacementHealthChecks = stringFact(resource, "HealthCheckType", default: "EC2").map { fact in
            var types = fact.map { $0.split(separator: ",").map { String($0).trimmingWhitespace() } }
            types.source = "HealthCheckType"
            return types
        }
        component.rollout = rollingUpdate(resource, desired: desired)
        component.expectsAlarm = true
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
        let one = Fact<Int>.known(1, at: location(resource), source: "a standalone EC2 instance")
        component.instances = Instances(minimum: one, desired: one, maximum: nil)
        // Linking replaces this when a CloudWatch alarm recovers the instance.
        component.recovery = .known(.none, at: location(resource), source: "a standalone EC2 instance, outside any Auto Scaling group, with no recover alarm")
        component.expectsAlarm = true
        if let found = property(resource, "SubnetId"), let subnet = subnetID(found.value.value) {
            relate(.runsIn, from: resource.id, to: subnet, at: location(found.key))
        }
        return component
    }

    mutating func ecsService(_ resource: Template.Resource) -> Component {
        let isDaemon = property(resource, "SchedulingStrategy")?.value.value.text == "DAEMON"
        let component = component(resource, role: .workload(isDaemon ? .perNode : .service))
        if !isDaemon {
            // "For new services, if a desired count is not specified, a default value of 1 is used."
            let desired = intFact(resource, "DesiredCount", default: 1)!
            component.instances = Instances(minimum: desired, desired: desired, maximum: nil)
            if let healthy = intFact(resource, "DeploymentConfiguration", "MinimumHealthyPercent", default: 100) {
                let strategy = Fact<Rollout.Strategy>.known(.rolling, at: location(resource), source: "ECS rolling deployment")
                // What a rollout may stop is the rest of MinimumHealthyPercent: say both.
                var maxUnavailable = healthy.map { IntOrPercent.percent(100 - $0) }
                maxUnavailable.source = "the share of tasks a deployment may stop"
                maxUnavailable.note = healthy.explained { "\($0)%" }
                component.rollout = Rollout(strategy: strategy, maxUnavailable: maxUnavailable)
            }
        }
        component.recovery = .known(.controller("ECS service scheduler"), at: location(resource), source: "ECS service")
        if let subnets = zones(resource, "NetworkConfiguration", "AwsvpcConfiguration", "Subnets") {
            component.placement = Placement(confinedZones: subnets)
        }
        component.expectsAlarm = true
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
        let minimum = intFact(resource, "ScalingConfig", "MinSize", default: nil)
            ?? .unknown(at: location(resource), source: "ScalingConfig.MinSize", reason: "no scaling configuration")
        let desired = intFact(resource, "ScalingConfig", "DesiredSize", default: nil) ?? minimum
        component.instances = Instances(minimum: minimum, desired: desired, maximum: intFact(resource, "ScalingConfig", "MaxSize", default: nil))
        component.recovery = .known(.controller("EKS managed node group"), at: location(resource), source: "EKS node group")
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
