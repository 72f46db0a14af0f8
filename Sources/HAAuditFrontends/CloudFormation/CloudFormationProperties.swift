import HAAuditModel
import HAAuditReaders

/// A CloudFormation resource's properties, resolved through the template's parameters,
/// mappings, conditions and intrinsic functions: how AWS semantics read a template.
struct CloudFormationProperties: AWSResourceProperties {
    let template: Template
    let resource: Template.Resource
    /// Where reads start: the resource's `Properties`, or an object written inside them.
    private let root: Node?
    let location: SourceLocation

    init(template: Template, resource: Template.Resource) {
        self.init(template: template, resource: resource, root: resource.properties,
                  location: SourceLocation(path: template.document.path, resource.position))
    }

    private init(template: Template, resource: Template.Resource, root: Node?, location: SourceLocation) {
        self.template = template
        self.resource = resource
        self.root = root
        self.location = location
    }

    var id: String { resource.id }

    var type: String { resource.type }

    var absentUnlessCondition: String? {
        guard let name = resource.node["Condition"]?.scalar, template.condition(name) == false else { return nil }
        return name
    }

    var propertyNames: [String] { root?.entries.compactMap(\.key.scalar) ?? [] }

    func property(_ path: [String]) -> AWSProperty? {
        guard let entry = entry(path) else { return nil }
        let resolved = template.evaluate(entry.value)
        if case .noValue = resolved.value { return nil }
        return AWSProperty(value: Self.awsValue(resolved.value, in: template), key: template.document.location(entry.key),
                           valueLocation: template.document.location(entry.value), note: resolved.note)
    }

    /// `Ref`, `Fn::GetAtt` and `${X}` in `Fn::Sub`, anywhere inside the property.
    func resourcesNamed(in path: [String]) -> (key: SourceLocation, ids: [String])? {
        guard !path.isEmpty else { return root.map { (location, template.distinctReferencedResources(in: $0)) } }
        return entry(path).map { (template.document.location($0.key), template.distinctReferencedResources(in: $0.value)) }
    }

    func resourcesHandedOn() -> [String] {
        template.document.root["Outputs"].map(template.distinctReferencedResources) ?? []
    }

    func resource(_ id: String) -> CloudFormationProperties? {
        template.resource(id).map { CloudFormationProperties(template: template, resource: $0) }
    }

    /// The items as written, without resolving the list itself; an item written as `Fn::If` is
    /// the branch its condition picks.
    func objects(_ path: [String]) -> (key: SourceLocation, items: [CloudFormationProperties])? {
        guard let entry = entry(path) else { return nil }
        let items = entry.value.items.compactMap(chosenItem)
        return (template.document.location(entry.key), items.map { nested($0, at: template.document.location($0)) })
    }

    /// The item itself, the branch of an `Fn::If` its condition picks (when the condition cannot
    /// be resolved, the branch written as an object: it may exist), or nil for `AWS::NoValue`.
    private func chosenItem(_ node: Node) -> Node? {
        guard let (name, argument) = Template.intrinsic(node) else { return node }
        if name == "Ref" { return argument.scalar == "AWS::NoValue" ? nil : node }
        let branches = argument.items
        guard name == "Fn::If", branches.count == 3, let condition = branches[0].scalar else { return node }
        if let holds = template.condition(condition) { return chosenItem(branches[holds ? 1 : 2]) }
        return branches.dropFirst().first { $0.isMapping && Template.intrinsic($0) == nil }
    }

    /// The object as written, without resolving it.
    func object(_ path: [String]) -> CloudFormationProperties? {
        entry(path).map { nested($0.value, at: template.document.location($0.key)) }
    }

    private func entry(_ path: [String]) -> Node.Entry? {
        var node = root
        for key in path.dropLast() { node = node?[key] }
        return node?.entry(path.last!)
    }

    private func nested(_ node: Node, at location: SourceLocation) -> CloudFormationProperties {
        CloudFormationProperties(template: template, resource: resource, root: node, location: location)
    }

    static func awsValue(_ value: Template.Value, in template: Template) -> AWSValue {
        switch value {
        case .text(let text): .text(text)
        case .list(let values): .list(values.map { awsValue($0, in: template) })
        case .object(let mapping): .object { field in mapping[field].map { awsValue(template.evaluate($0).value, in: template) } }
        case .resource(let id, let attribute): .resource(id, attribute: attribute)
        case .zone(let index): .unnamedZone("zone #\(index) of Fn::GetAZs")
        case .zones: .everyZone
        case .element(let parameter, let index): .unnamedZone("zone #\(index) of parameter \(parameter)")
        case .noValue: .absent
        case .pattern(let text): .pattern(text)
        case .parameter(let name): .parameter(name)
        case .unknown(let reason): .unknown(reason)
        }
    }
}
