import HAAuditModel

/// What a CloudWatch alarm means for availability: its actions (enabled by default), whether it
/// recovers an EC2 instance, and what it watches.
enum AWSAlarms {
    static func alarm(_ properties: some AWSResourceProperties, _ component: Component, relationships: inout [AWSRelationship]) {
        let actions: Fact<[String]>
        if let found = properties.property(["AlarmActions"]) {
            let values: [AWSValue]
            if case .list(let items) = found.value { values = items } else { values = [found.value] }
            actions = .known(values.map(describe), at: found.key, source: "AlarmActions", note: found.note)
        } else {
            actions = .defaulted([], at: properties.location, source: "AlarmActions")
        }
        let recovers = (actions.value ?? []).contains { $0.hasPrefix("arn:aws:automate:") && $0.hasSuffix(":ec2:recover") }
        component.alarm = AlarmFacet(actions: actions, actionsEnabled: properties.bool("ActionsEnabled", default: true)!, recovers: recovers)
        for key in ["Dimensions", "Metrics"] {
            guard let named = properties.resourcesNamed(in: [key]) else { continue }
            for watched in named.ids {
                relationships.append(AWSRelationship(kind: .monitors, from: properties.id, to: watched, at: named.key))
            }
        }
    }

    /// An alarm action as text: the ARN, a pattern with `*` for what is known only at deploy
    /// time, or the resource it references.
    private static func describe(_ value: AWSValue) -> String {
        switch value {
        case .text(let text), .pattern(let text): text
        case .resource(let id, let attribute): attribute.map { "\(id).\($0)" } ?? id
        default: "an action resolved at deploy time"
        }
    }

    /// An EC2 instance that an alarm monitoring it recovers is recovered by CloudWatch.
    static func linkRecoverAlarms(_ relationships: [AWSRelationship], components: [String: Component]) {
        for relationship in relationships where relationship.kind == .monitors {
            guard let alarm = components[relationship.from], alarm.alarm?.recovers == true,
                  let instance = components[relationship.to], instance.kind == "AWS::EC2::Instance" else { continue }
            instance.recovery = .known(.controller("CloudWatch recover alarm \(alarm.name)"), at: alarm.location,
                                       source: "recover alarm \(alarm.name)")
        }
    }

    /// An alarm whose condition is false with the parameters' defaults is not created, but the
    /// components it would watch record it and the condition that creates it.
    static func linkAlarmsBehindConditions(_ resources: [some AWSResourceProperties], components: [String: Component]) {
        for resource in resources where resource.type == "AWS::CloudWatch::Alarm" {
            guard let condition = resource.absentUnlessCondition else { continue }
            let watched = ["Dimensions", "Metrics"].flatMap { resource.resourcesNamed(in: [$0])?.ids ?? [] }
            for id in Set(watched) { components[id]?.alarmsBehindConditions[resource.id] = condition }
        }
    }

    /// Where an alarm's state is acted on besides its own actions, by resource type: a
    /// deployment rolls back when it fires (SAM, CodeDeploy, ECS), a composite alarm or a
    /// Route 53 health check reads it.
    private static let consumers: [String: (path: [String], role: String)] = [
        "AWS::Serverless::Function": (["DeploymentPreference", "Alarms"], "rolls back the deployments of"),
        "AWS::CodeDeploy::DeploymentGroup": (["AlarmConfiguration", "Alarms"], "rolls back the deployments of"),
        "AWS::ECS::Service": (["DeploymentConfiguration", "Alarms", "AlarmNames"], "rolls back the deployments of"),
        "AWS::CloudWatch::CompositeAlarm": (["AlarmRule"], "feeds the composite alarm"),
        "AWS::Route53::HealthCheck": (["HealthCheckConfig", "AlarmIdentifier", "Name"], "decides the health check"),
    ]

    /// Marks each alarm that a consumer declared alongside names, by reference or by its
    /// AlarmName: its state changes something even without AlarmActions.
    static func linkConsumers(_ resources: [some AWSResourceProperties], components: [String: Component]) {
        let alarms = resources.filter { components[$0.id]?.alarm != nil }
        guard !alarms.isEmpty else { return }
        for resource in resources where resource.absentUnlessCondition == nil {
            guard let consumer = consumers[resource.type], let found = resource.property(consumer.path) else { continue }
            let ids = Set(resource.resourcesNamed(in: consumer.path)?.ids ?? [])
            let names = texts(found.value)
            for alarm in alarms {
                let name = alarm.text("AlarmName")
                let named = name.map { name in names.contains { $0 == name || mentions($0, alarm: name) } } ?? false
                guard ids.contains(alarm.id) || named, let component = components[alarm.id] else { continue }
                component.alarm?.consumer = .known("it \(consumer.role) \(resource.id)", at: found.key,
                                                  source: "\(resource.type) \(resource.id)")
            }
        }
    }

    /// The texts of a value: itself, a list's items, an object's `Name` (a CodeDeploy alarm).
    private static func texts(_ value: AWSValue) -> [String] {
        switch value {
        case .text(let text), .pattern(let text): [text]
        case .list(let items): items.flatMap(texts)
        case .object(let field): field("Name").map(texts) ?? []
        default: []
        }
    }

    /// Whether a composite alarm rule names the alarm: `ALARM("name")`, `ALARM(name)` or its ARN.
    private static func mentions(_ rule: String, alarm name: String) -> Bool {
        rule.contains("\"\(name)\"") || rule.contains("(\(name))") || rule.contains(":alarm:\(name)")
    }
}
