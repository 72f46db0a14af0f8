import HAAuditModel
import HAAuditReaders

/// Lowers AWS CloudFormation templates into the topology. Logical IDs are scoped to their
/// template: references never cross templates, so each one is lowered, and linked, on its own.
struct CloudFormationFrontend: Frontend {
    /// Each template on its own, in file order.
    private var templates: [LoweredDocument] = []

    init(settings: FrontendSettings) {}

    mutating func add(_ lowered: LoweredDocument, to topology: inout Topology) {
        templates.append(lowered)
    }

    mutating func link(_ topology: inout Topology, diagnostics: inout [Diagnostic]) {
        Self.assemble(templates, into: &topology)
    }

    static func lower(_ document: SourceDocument, into lowered: inout LoweredDocument) -> Bool {
        guard let template = Template(document) else { return false }
        var lowering = CloudFormationLowering(template: template)
        lowering.lowerResources()
        lowering.link()
        lowering.add(to: &lowered)
        lowered.diagnostics += template.diagnostics
        return true
    }

    static func assemble(_ documents: [LoweredDocument], into topology: inout Topology) {
        topology.reserveCapacity(forMoreComponents: documents.reduce(0) { $0 + $1.components.count })
        for document in documents {
            for component in document.components { topology.add(component) }
            for relationship in document.relationships {
                topology.relate(relationship.kind, from: relationship.from, to: relationship.to, at: relationship.location)
            }
        }
    }
}

/// The lowering of one template: its resources become components, then references between
/// them become relationships.
struct CloudFormationLowering {
    let template: Template
    /// Components by logical ID, in template order.
    var components: [String: Component] = [:]
    var order: [String] = []
    var relationships: [AWSRelationship] = []

    init(template: Template) {
        self.template = template
    }

    mutating func lowerResources() {
        for resource in template.resources {
            // A resource whose condition is known to be false is not created.
            if properties(resource).absentUnlessCondition != nil { continue }
            guard let component = lower(resource) else { continue }
            component.suppressions = suppressions(resource)
            components[resource.id] = component
            order.append(resource.id)
        }
    }

    /// What AWS makes of the resource, how CloudFormation updates an Auto Scaling group and what it
    /// does with a stateful resource it deletes or replaces.
    private mutating func lower(_ resource: Template.Resource) -> Component? {
        var named: [AWSRelationship] = []
        let component = AWSResources.lower(properties(resource), make: { self.component(resource, role: $0) }, relationships: &named)
        relationships += named
        if resource.type == "AWS::AutoScaling::AutoScalingGroup", let component, let desired = component.instances?.desired {
            component.rollout = rollingUpdate(resource, desired: desired)
        }
        if let component, let safeguards = component.deletionSafeguards {
            component.deletionSafeguards = deletionPolicies(resource, into: safeguards)
        }
        return component
    }

    /// References between the resources, once all are lowered: what they mean is AWS's.
    mutating func link() {
        AWSLinking.link(template.resources.map(properties), components: components, relationships: &relationships)
    }

    /// The template's components in template order, and the relationships recorded by logical ID
    /// whose both ends became components.
    func add(to lowered: inout LoweredDocument) {
        lowered.components += order.compactMap { components[$0] }
        lowered.relationships += relationships.compactMap { relationship in
            guard let from = components[relationship.from], let to = components[relationship.to] else { return nil }
            return .init(kind: relationship.kind, from: from, to: to, location: relationship.at)
        }
    }

    // MARK: Helpers shared by the resource families

    func componentID(_ logicalID: String) -> String { "cfn:\(template.document.identityPath)#\(logicalID)" }

    func location(_ resource: Template.Resource) -> SourceLocation { SourceLocation(path: template.document.path, resource.position) }

    func location(_ node: Node) -> SourceLocation { template.document.location(node) }

    func component(_ resource: Template.Resource, role: Component.Role) -> Component {
        Component(id: componentID(resource.id), name: resource.id, kind: resource.type, platform: .cloudformation,
                  namespace: nil, role: role, location: location(resource))
    }

    /// How AWS semantics read the resource's properties.
    func properties(_ resource: Template.Resource) -> CloudFormationProperties {
        CloudFormationProperties(template: template, resource: resource)
    }

    /// `Metadata: {haaudit: {ignore: {<rule>: "<reason>"}}}` on the resource (DESIGN section 8).
    func suppressions(_ resource: Template.Resource) -> [String: Suppression] {
        var result: [String: Suppression] = [:]
        for entry in resource.node[path: "Metadata", "haaudit", "ignore"]?.entries ?? [] {
            guard let rule = entry.key.scalar else { continue }
            let reason = entry.value.string.flatMap { $0.isEmpty ? nil : $0 }
            result[rule] = Suppression(reason: reason, location: location(entry.key))
        }
        return result
    }
}
