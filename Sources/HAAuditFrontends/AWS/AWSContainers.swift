import HAAuditModel

/// The containers of an ECS task definition and their health checks, with ECS's defaults.
enum AWSContainers {
    /// The containers of the service's task definition, when it is declared alongside. A load
    /// balancer's health check is the readiness signal of every container when there is one.
    /// A container serves traffic when a load balancer or service discovery routes to the
    /// service, or when it declares a port; a queue worker does neither.
    static func taskContainers<Properties: AWSResourceProperties>(_ service: Properties,
                                                                 loadBalancers: (key: SourceLocation, items: [Properties])?) -> [Container] {
        guard let id = service.property(["TaskDefinition"])?.value.resourceID,
              let task = service.resource(id), task.type == "AWS::ECS::TaskDefinition" else { return [] }
        let balanced = !(loadBalancers?.items.isEmpty ?? true)
        let routed = balanced || service.isSet("ServiceRegistries") || service.isSet("ServiceConnectConfiguration")
        return (task.objects(["ContainerDefinitions"])?.items ?? []).enumerated().map { index, definition in
            // A name known only at deploy time: the container is told apart by its place.
            var container = Container(name: definition.text("Name") ?? "#\(index + 1) (name unknown)",
                                      location: definition.location,
                                      servesTraffic: routed || !(definition.objects(["PortMappings"])?.items.isEmpty ?? true),
                                      supportsLivenessProbe: false)
            if let image = definition.property(["Image"]) {
                // A pattern keeps what is known (`*.dkr.ecr.*.amazonaws.com/api:latest`): the rule
                // judges the tag when it is not one of the unknown parts.
                let text: String? = if case .pattern(let pattern) = image.value { pattern } else { image.value.text }
                container.image = text.map { .known($0, at: image.valueLocation, source: "Image", note: image.note) }
                    ?? .unknown(at: image.valueLocation, source: "Image", reason: image.value.unknownReason ?? "it cannot be resolved")
            }
            if let check = definition.object(["HealthCheck"]) {
                container.readiness = healthCheckProbe(check)
            } else if balanced, let loadBalancers {
                container.readiness = Probe.external(at: loadBalancers.key, source: "the load balancer's health check")
            }
            return container
        }
    }

    /// A container definition's `HealthCheck` (Interval 30, Timeout 5, Retries 3, StartPeriod 0).
    private static func healthCheckProbe(_ check: some AWSResourceProperties) -> Probe {
        func timing(_ key: String, _ defaultValue: Int) -> Fact<Int> {
            guard let found = check.property([key]) else { return .defaulted(defaultValue, at: check.location, source: "HealthCheck.\(key)") }
            return found.value.text.flatMap { Int($0) }.map { .known($0, at: found.valueLocation, source: "HealthCheck.\(key)") }
                ?? .unknown(at: found.valueLocation, source: "HealthCheck.\(key)", reason: "it cannot be resolved")
        }
        let command: [String] = if case .list(let items)? = check.property(["Command"])?.value { items.compactMap(\.text) } else { [] }
        return Probe(location: check.location, handler: .exec(command), port: nil,
                     initialDelaySeconds: timing("StartPeriod", 0), periodSeconds: timing("Interval", 30),
                     timeoutSeconds: timing("Timeout", 5), failureThreshold: timing("Retries", 3),
                     successThreshold: .defaulted(1, at: check.location, source: "HealthCheck"))
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
