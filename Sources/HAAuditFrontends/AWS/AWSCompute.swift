import HAAuditModel

/// What AWS compute means for availability: how many instances run, where, what replaces them,
/// how they are replaced and what routes to them, with AWS's defaults.
enum AWSCompute {
    static func autoScalingGroup(_ properties: some AWSResourceProperties, _ component: Component,
                                 relationships: inout [AWSRelationship]) {
        let minimum = properties.int("MinSize", default: nil)
            ?? .unknown(at: properties.location, source: "MinSize", reason: "MinSize is required but missing")
        // "If you do not specify a desired capacity, the default is the minimum size of the group."
        let desired = properties.int("DesiredCapacity", default: nil) ?? minimum
        component.instances = Instances(minimum: minimum, desired: desired, maximum: properties.int("MaxSize", default: nil))
        component.recovery = .known(.controller("Auto Scaling group"), at: properties.location, source: "Auto Scaling group")
        // CloudFormation creates the group through the API, whose default is 0 (no grace period);
        // the console's 300 seconds does not apply.
        component.healthCheckGracePeriod = properties.int("HealthCheckGracePeriod", default: 0)
        component.replacementHealthChecks = properties.string("HealthCheckType", default: "EC2").map { fact in
            var types = fact.map { $0.split(separator: ",").map { String($0).trimmingWhitespace() } }
            types.source = "HealthCheckType"
            return types
        }
        component.expectsAlarm = true
        component.placement = Placement(confinedZones: AWSPlacement.subnetZones(properties, "VPCZoneIdentifier", relationships: &relationships)
            ?? AWSPlacement.zoneNames(properties, "AvailabilityZones"))
        for key in ["TargetGroupARNs", "LoadBalancerNames"] {
            guard let found = properties.property([key]) else { continue }
            for target in found.value.resourceIDs {
                relationships.append(AWSRelationship(kind: .routesTo, from: target, to: properties.id, at: found.key))
            }
        }
        if let sources = properties.objects(["TrafficSources"]) {
            for source in sources.items {
                for target in source.property(["Identifier"])?.value.resourceIDs ?? [] {
                    relationships.append(AWSRelationship(kind: .routesTo, from: target, to: properties.id, at: sources.key))
                }
            }
        }
    }

    /// Where an instance runs is its subnet's zone, which the `runs-in` relationship carries.
    /// One whose user data ends it once its work is done (`endsItself`) is a one-shot task, like
    /// a Kubernetes Job: nothing should replace it, and nothing long-lived is left to watch.
    static func instance(_ properties: some AWSResourceProperties, _ component: Component, relationships: inout [AWSRelationship]) {
        _ = AWSPlacement.subnet(properties, relationships: &relationships)
        if let ending = endsItself(properties) {
            component.nothingToWatch = ending
            return
        }
        let one = Fact<Int>.known(1, at: properties.location, source: "a standalone EC2 instance")
        component.instances = Instances(minimum: one, desired: one, maximum: nil)
        // Linking replaces this when a CloudWatch alarm recovers the instance.
        component.recovery = .known(.none, at: properties.location,
                                    source: "a standalone EC2 instance, outside any Auto Scaling group, with no recover alarm")
        // EC2's simplified automatic recovery (on by default for supported instance types)
        // answers system status check failures only.
        component.inPlaceRecovery = "EC2's default automatic recovery may restart it in place after a failure of its host (on supported instance types), but when the instance itself fails (an OS hang, a failed instance status check) or its zone does, it stays down"
        component.expectsAlarm = true
    }

    /// Whether the instance is a one-shot task (see `endsItself`).
    static func isOneShotInstance(_ properties: some AWSResourceProperties) -> Bool { endsItself(properties) != nil }

    /// Why the instance ends itself once its work is done, where its user data is written: the
    /// user data (as far as it resolves) terminates the instance it runs on (`ec2
    /// terminate-instances` with the instance id read from the instance metadata), or shuts it
    /// down (`shutdown`, `poweroff`, `halt`) while InstanceInitiatedShutdownBehavior is `terminate`.
    private static func endsItself(_ properties: some AWSResourceProperties) -> Fact<String>? {
        guard let userData = properties.property(["UserData"]) else { return nil }
        let script: String
        switch userData.value {
        case .text(let text), .pattern(let text): script = text
        default: return nil
        }
        let lines = script.split(whereSeparator: \.isNewline).map { String($0).trimmingWhitespace() }.filter { !$0.hasPrefix("#") }
        if lines.contains(where: { $0.contains("terminate-instances") && terminatesOwnInstance($0, lines) }) {
            return .known("its user data terminates the instance itself (ec2 terminate-instances with its own instance id)",
                          at: userData.key, source: "UserData")
        }
        guard properties.text("InstanceInitiatedShutdownBehavior")?.lowercased() == "terminate",
              lines.contains(where: shutsDown) else { return nil }
        return .known("its user data shuts the instance down, and InstanceInitiatedShutdownBehavior is terminate",
                      at: userData.key, source: "UserData")
    }

    /// Whether a `terminate-instances` line names the instance's own id: read from the instance
    /// metadata in place, or through a variable another line sets from it (`ID=$(curl .../instance-id)`).
    private static func terminatesOwnInstance(_ line: String, _ lines: [String]) -> Bool {
        func readsOwnID(_ text: String) -> Bool { text.contains("meta-data/instance-id") || text.contains("ec2-metadata -i") }
        if readsOwnID(line) { return true }
        let variables = lines.filter(readsOwnID).compactMap { assignment -> String? in
            let name = assignment.split(separator: "=", maxSplits: 1).first.map { String($0.split(separator: " ").last ?? "") } ?? ""
            return !name.isEmpty && name.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" } ? name : nil
        }
        return variables.contains { line.contains("$\($0)") || line.contains("${\($0)}") }
    }

    /// A shell line that powers the machine off: one of its commands (split at `;`, `&`, `|`,
    /// parentheses; after `sudo`, `then`, `do`, `else` or `exec`) is `shutdown` (not `-r`, a
    /// reboot, nor `-c`, a cancel), `poweroff` or `halt`.
    private static func shutsDown(_ line: String) -> Bool {
        line.split(whereSeparator: { ";&|()".contains($0) }).contains { command in
            let words = command.split(whereSeparator: \.isWhitespace).map(String.init)
                .drop { ["sudo", "then", "do", "else", "exec"].contains($0) }
            guard let name = words.first?.split(separator: "/").last else { return false }
            switch name {
            case "poweroff", "halt": return true
            case "shutdown": return !words.dropFirst().contains { ["-r", "--reboot", "-c"].contains($0) }
            default: return false
            }
        }
    }

    /// Standalone instances launched alike (the same launch template, or the same image and
    /// type) for the same role (the same instance profile, or the same security groups) in
    /// different zones (or distinct subnets whose zones come at deploy time) are a redundant
    /// group built by hand: each one's peers are the members placed elsewhere.
    static func linkRedundantInstances<Properties: AWSResourceProperties>(_ resources: [Properties], components: [String: Component]) {
        var groups: [[String]: [(instance: Properties, placement: String)]] = [:]
        // A one-shot instance (it terminates itself) serves alongside nothing.
        for instance in resources where instance.type == "AWS::EC2::Instance" && components[instance.id]?.nothingToWatch == nil && components[instance.id] != nil {
            guard let placement = AWSPlacement.instancePlacement(instance), let launch = launchedAs(instance),
                  let role = role(of: instance) else { continue }
            groups[[launch, role], default: []].append((instance, placement))
        }
        for members in groups.values where members.count >= 2 {
            for member in members {
                components[member.instance.id]?.redundantPeers = members.filter { $0.placement != member.placement }
                    .map { RedundantPeer(name: $0.instance.id, placement: $0.placement, location: $0.instance.location) }
            }
        }
    }

    private static func launchedAs(_ instance: some AWSResourceProperties) -> String? {
        for key in ["LaunchTemplateId", "LaunchTemplateName"] {
            if let template = instance.property(["LaunchTemplate", key]).flatMap({ identity($0.value) }) { return "template \(template)" }
        }
        guard let image = instance.property(["ImageId"]).flatMap({ identity($0.value) }) else { return nil }
        // "InstanceType ... Default: m1.small"
        let type = instance.property(["InstanceType"]).map { identity($0.value) } ?? "m1.small"
        return type.map { "image \(image), type \($0)" }
    }

    private static func role(of instance: some AWSResourceProperties) -> String? {
        if let profile = instance.property(["IamInstanceProfile"]).flatMap({ identity($0.value) }) { return "profile \(profile)" }
        let groups = instance.property(["SecurityGroupIds"]) ?? instance.property(["SecurityGroups"])
            ?? instance.objects(["NetworkInterfaces"])?.items.first?.property(["GroupSet"])
        return groups.flatMap { identity($0.value) }.map { "groups \($0)" }
    }

    /// What tells one value apart from another when both are resolved (text, a resource, a
    /// parameter, a list of those); nil when it is not.
    private static func identity(_ value: AWSValue) -> String? {
        switch value {
        case .text(let text): "'\(text)'"
        case .resource(let id, let attribute): attribute.map { "\(id).\($0)" } ?? id
        case .parameter(let name): "parameter \(name)"
        case .list(let items):
            items.map(identity).contains(nil) ? nil : "[\(items.compactMap(identity).sorted().joined(separator: ", "))]"
        default: nil
        }
    }

    /// A daemon service runs one task on each container instance.
    static func ecsServiceIsDaemon(_ properties: some AWSResourceProperties) -> Bool {
        properties.text("SchedulingStrategy") == "DAEMON"
    }

    static func ecsService(_ properties: some AWSResourceProperties, _ component: Component, relationships: inout [AWSRelationship]) {
        if !ecsServiceIsDaemon(properties) {
            // "For new services, if a desired count is not specified, a default value of 1 is used."
            let desired = properties.int("DesiredCount", default: 1)!
            component.instances = Instances(minimum: desired, desired: desired, maximum: nil)
            if let healthy = properties.int("DeploymentConfiguration", "MinimumHealthyPercent", default: 100) {
                let strategy = Fact<Rollout.Strategy>.known(.rolling, at: properties.location, source: "ECS rolling deployment")
                // What a rollout may stop is the rest of MinimumHealthyPercent: say both.
                var maxUnavailable = healthy.map { IntOrPercent.percent(100 - $0) }
                maxUnavailable.source = "the share of tasks a deployment may stop"
                maxUnavailable.note = healthy.explained { "\($0)%" }
                var rollout = Rollout(strategy: strategy, maxUnavailable: maxUnavailable)
                if ecsDeploys(properties) {
                    rollout.maxSurge = ecsSurge(properties)
                    rollout.onFailure = ecsFailureResponse(properties)
                }
                component.rollout = rollout
            }
        }
        component.recovery = .known(.controller("ECS service scheduler"), at: properties.location, source: "ECS service")
        component.expectsAlarm = true
        if let subnets = AWSPlacement.subnetZones(properties, "NetworkConfiguration", "AwsvpcConfiguration", "Subnets",
                                                  relationships: &relationships) {
            component.placement = Placement(confinedZones: subnets)
        }
        let balancers = properties.objects(["LoadBalancers"])
        for balancer in balancers?.items ?? [] {
            for target in balancer.property(["TargetGroupArn"])?.value.resourceIDs ?? [] {
                relationships.append(AWSRelationship(kind: .routesTo, from: target, to: properties.id, at: balancer.location))
            }
        }
        // Like DaemonSets, daemon tasks are not expected to announce readiness.
        component.containers = ecsServiceIsDaemon(properties) ? [] : AWSContainers.taskContainers(properties, loadBalancers: balancers)
    }

    /// Whether ECS itself rolls the service out (DeploymentController ECS, the default): a
    /// blue/green deployment by CodeDeploy or an external controller uses neither the
    /// percentages to roll nor the circuit breaker.
    private static func ecsDeploys(_ properties: some AWSResourceProperties) -> Bool {
        guard properties.isSet("DeploymentController", "Type") else { return true }
        return properties.text("DeploymentController", "Type") == "ECS"
    }

    /// What a rolling deployment may start above the desired count: MaximumPercent (default
    /// 200) less 100; none for ECS's own blue/green strategy, which starts a whole new set.
    private static func ecsSurge(_ properties: some AWSResourceProperties) -> Fact<IntOrPercent>? {
        if let strategy = properties.text("DeploymentConfiguration", "Strategy"), strategy != "ROLLING" { return nil }
        guard let maximum = properties.int("DeploymentConfiguration", "MaximumPercent", default: 200) else { return nil }
        var surge = maximum.map { IntOrPercent.percent(max(0, $0 - 100)) }
        surge.source = "the share of tasks a deployment may start above the desired count"
        surge.note = maximum.explained { "\($0)%" }
        return surge
    }

    /// A deployment whose tasks never turn healthy: the circuit breaker (or CloudWatch alarms)
    /// with Rollback returns to the last deployment that worked, without Rollback it marks the
    /// deployment failed and stops; with neither (the default) ECS keeps launching tasks.
    private static func ecsFailureResponse(_ properties: some AWSResourceProperties) -> Fact<Rollout.FailureResponse>? {
        // Deployment alarms roll back only when an alarm fires: tasks that never start fire none.
        let configuration = "DeploymentConfiguration"
        let breaker = "DeploymentCircuitBreaker"
        guard let enable = properties.bool(configuration, breaker, "Enable", default: false) else { return nil }
        guard enable.value == true, let rollback = properties.bool(configuration, breaker, "Rollback", default: false) else {
            return enable.map { _ in .keepTrying }
        }
        return rollback.map { $0 ? .rollBack : .stop }
    }

    static func eksNodegroup(_ properties: some AWSResourceProperties, _ component: Component, relationships: inout [AWSRelationship]) {
        let minimum = properties.int("ScalingConfig", "MinSize", default: nil)
            ?? .unknown(at: properties.location, source: "ScalingConfig.MinSize", reason: "no scaling configuration")
        let desired = properties.int("ScalingConfig", "DesiredSize", default: nil) ?? minimum
        component.instances = Instances(minimum: minimum, desired: desired,
                                        maximum: properties.int("ScalingConfig", "MaxSize", default: nil))
        component.recovery = .known(.controller("EKS managed node group"), at: properties.location, source: "EKS node group")
        component.placement = AWSPlacement.subnetZones(properties, "Subnets", relationships: &relationships).map { Placement(confinedZones: $0) }
    }
}
