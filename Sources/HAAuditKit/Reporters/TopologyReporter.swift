/// The topology model as JSON (`haaudit topology`): the first thing to read when a finding
/// surprises someone.
public enum TopologyReporter {
    public static func render(_ result: AuditResult) -> String {
        let topology = result.topology
        // A thousand Services selecting a thousand Deployments are a million relationships: past
        // `Relationship.listedPerSource` of one source, they are counted instead.
        let relationships = topology.relationships()
        var fields: [(String, JSONValue)] = [
            ("schemaVersion", 1),
            ("components", .array(topology.components.map(component))),
            ("relationships", .array(relationships.listed.map { relationship in
                .object([
                    ("kind", .string(relationship.kind.rawValue)),
                    ("from", .string(relationship.from)),
                    ("to", .string(relationship.to)),
                    ("location", JSONReporter.location(relationship.location)),
                ])
            })),
        ]
        if !relationships.omitted.isEmpty {
            fields.append(("omittedRelationships", .array(relationships.omitted.map { omitted in
                .object([
                    ("kind", .string(omitted.kind.rawValue)),
                    ("from", .string(omitted.from)),
                    ("count", .int(omitted.count)),
                    ("location", JSONReporter.location(omitted.location)),
                ])
            })))
        }
        fields.append(("diagnostics", .array(result.diagnostics.map(JSONReporter.diagnostic))))
        return JSONValue.object(fields).rendered()
    }

    private static func component(_ component: Component) -> JSONValue {
        var fields: [(String, JSONValue)] = JSONReporter.component(ComponentReference(component)).fields
        fields.append(("role", .string(role(component.role))))
        fields.append(("location", JSONReporter.location(component.location)))
        if let profile = component.profile { fields.append(("profile", .string(profile))) }
        if let instances = component.instances {
            var counts: [(String, JSONValue)] = [("minimum", fact(instances.minimum)), ("desired", fact(instances.desired))]
            if let maximum = instances.maximum { counts.append(("maximum", fact(maximum))) }
            fields.append(("instances", .object(counts)))
        }
        if let placement = component.placement {
            var items: [(String, JSONValue)] = []
            if let zones = placement.confinedZones { items.append(("confinedZones", fact(zones) { .array($0.map(JSONValue.string)) })) }
            if let spread = placement.spreadsOverZones { items.append(("spreadsOverZones", fact(spread, JSONValue.bool))) }
            if let spread = placement.spreadsOverNodes { items.append(("spreadsOverNodes", fact(spread, JSONValue.bool))) }
            fields.append(("placement", .object(items)))
        }
        if let recovery = component.recovery {
            fields.append(("recovery", fact(recovery) { value in
                switch value {
                case .controller(let kind), .platform(let kind): .string("controller: \(kind)")
                case .none: .string("none")
                }
            }))
        }
        if let labels = component.podLabels {
            fields.append(("podLabels", .object(labels.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })))
        }
        if !component.containers.isEmpty {
            fields.append(("containers", .array(component.containers.map(container))))
        }
        if let service = component.service {
            fields.append(("service", .object([
                ("type", .string(service.type)),
                ("selector", .optional(service.selector?.description)),
                ("ports", .array(service.ports.map { port in
                    .object([("name", .optional(port.name)), ("port", port.port.map(JSONValue.int) ?? .null),
                             ("targetPort", .optional(port.targetPort?.text))])
                })),
            ])))
        }
        if let ingress = component.ingress {
            fields.append(("backends", .array(ingress.backends.map { backend in
                .object([("service", .string(backend.serviceName)), ("port", .optional(backend.port?.text)),
                         ("location", JSONReporter.location(backend.location))])
            })))
        }
        if let autoscaler = component.autoscaler {
            var items: [(String, JSONValue)] = [("target", .string("\(autoscaler.targetKind)/\(autoscaler.targetName)")),
                                                ("minReplicas", fact(autoscaler.minReplicas))]
            if let maximum = autoscaler.maxReplicas { items.append(("maxReplicas", fact(maximum))) }
            fields.append(("autoscaler", .object(items)))
        }
        if let budget = component.disruptionBudget {
            var items: [(String, JSONValue)] = [("selector", .string(budget.selector.description))]
            if let value = budget.minAvailable { items.append(("minAvailable", fact(value) { .string($0.description) })) }
            if let value = budget.maxUnavailable { items.append(("maxUnavailable", fact(value) { .string($0.description) })) }
            fields.append(("disruptionBudget", .object(items)))
        }
        if let zone = component.zone { fields.append(("zone", fact(zone, JSONValue.string))) }
        if !component.standbyRequirements.isEmpty {
            fields.append(("standbyRequirements", .array(component.standbyRequirements.map(requirement))))
        }
        if !component.backupRequirements.isEmpty {
            fields.append(("backupRequirements", .array(component.backupRequirements.map(requirement))))
        }
        if let checks = component.replacementHealthChecks {
            fields.append(("replacementHealthChecks", fact(checks) { .array($0.map(JSONValue.string)) }))
        }
        if let rollout = component.rollout {
            var items: [(String, JSONValue)] = [("strategy", fact(rollout.strategy) { .string($0.rawValue) })]
            if let value = rollout.maxUnavailable { items.append(("maxUnavailable", fact(value) { .string($0.description) })) }
            fields.append(("rollout", .object(items)))
        }
        if let balancer = component.loadBalancer {
            fields.append(("loadBalancer", .object([("type", .string(balancer.type)), ("crossZone", fact(balancer.crossZone, JSONValue.bool))])))
        }
        if let check = component.targetHealthCheck {
            fields.append(("targetHealthCheck", .object([("protocol", fact(check.protocolName, JSONValue.string)),
                                                         ("path", fact(check.path, JSONValue.string))])))
        }
        if let alarm = component.alarm {
            fields.append(("alarm", .object([
                ("actions", fact(alarm.actions) { .array($0.map(JSONValue.string)) }),
                ("actionsEnabled", fact(alarm.actionsEnabled, JSONValue.bool)),
                ("recovers", .bool(alarm.recovers)),
            ])))
        }
        if let gateway = component.natGateway {
            fields.append(("natGateway", .object([
                ("regional", .bool(gateway.isRegional)),
                ("zone", gateway.zone.map { fact($0, JSONValue.string) } ?? .null),
                ("routedSubnets", .array(gateway.routedSubnets.map { .object([("subnet", .string($0.subnet)), ("zone", fact($0.zone, JSONValue.string))]) })),
            ])))
        }
        if let failover = component.failover {
            fields.append(("failover", .object([
                ("role", .string(failover.isPrimary ? "PRIMARY" : "SECONDARY")),
                ("healthSignal", fact(failover.healthSignal, JSONValue.bool)),
                ("partner", .optional(failover.partner)),
            ])))
        }
        if component.expectsAlarm { fields.append(("expectsAlarm", true)) }
        if !component.suppressions.isEmpty {
            fields.append(("suppressions", .object(component.suppressions.sorted { $0.key < $1.key }.map { ($0.key, .optional($0.value.reason)) })))
        }
        return .object(fields)
    }

    private static func container(_ container: Container) -> JSONValue {
        var fields: [(String, JSONValue)] = [
            ("name", .string(container.name)),
            ("location", JSONReporter.location(container.location)),
            ("servesTraffic", .bool(container.servesTraffic)),
            ("ports", .array(container.ports.map { port in
                .object([("name", .optional(port.name)), ("number", port.number.map(JSONValue.int) ?? .null)])
            })),
        ]
        for (name, probe) in [("readinessProbe", container.readiness), ("livenessProbe", container.liveness), ("startupProbe", container.startup)] {
            guard let probe else { continue }
            fields.append((name, .object([
                ("location", JSONReporter.location(probe.location)),
                ("port", .optional(probe.port?.text)),
                ("initialDelaySeconds", fact(probe.initialDelaySeconds)),
                ("periodSeconds", fact(probe.periodSeconds)),
                ("timeoutSeconds", fact(probe.timeoutSeconds)),
                ("failureThreshold", fact(probe.failureThreshold)),
            ])))
        }
        return .object(fields)
    }

    private static func fact(_ fact: Fact<Int>) -> JSONValue {
        self.fact(fact, JSONValue.int)
    }

    private static func fact<Value>(_ fact: Fact<Value>, _ render: (Value) -> JSONValue) -> JSONValue {
        var fields: [(String, JSONValue)] = [
            ("value", fact.value.map(render) ?? .null),
            ("certainty", .string(fact.certainty.rawValue)),
            ("source", .string(fact.source)),
        ]
        if let reason = fact.reason { fields.append(("reason", .string(reason))) }
        fields.append(("location", JSONReporter.location(fact.location)))
        return .object(fields)
    }

    private static func requirement(_ requirement: Requirement) -> JSONValue {
        switch requirement {
        case .atLeast(let value, let minimum): .object([("atLeast", .int(minimum)), ("fact", fact(value))])
        case .isTrue(let value): .object([("isTrue", fact(value, JSONValue.bool))])
        case .equals(let value, let expected): .object([("equals", .string(expected)), ("fact", fact(value, JSONValue.string))])
        }
    }

    private static func role(_ role: Component.Role) -> String {
        switch role {
        case .workload(let shape): "workload/\(shape.rawValue)"
        case .datastore: "datastore"
        case .traffic: "traffic"
        case .control: "control"
        case .network: "network"
        }
    }
}
