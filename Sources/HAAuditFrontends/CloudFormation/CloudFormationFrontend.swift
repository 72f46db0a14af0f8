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
    var relationships: [(kind: Relationship.Kind, from: String, to: String, at: SourceLocation)] = []

    init(template: Template) {
        self.template = template
    }

    mutating func lowerResources() {
        for resource in template.resources {
            // A resource whose condition is known to be false is not created.
            if let condition = resource.node["Condition"]?.scalar, template.condition(condition) == false { continue }
            guard let component = lower(resource) else { continue }
            component.suppressions = suppressions(resource)
            components[resource.id] = component
            order.append(resource.id)
        }
    }

    private mutating func lower(_ resource: Template.Resource) -> Component? {
        switch resource.type {
        case "AWS::AutoScaling::AutoScalingGroup": autoScalingGroup(resource)
        case "AWS::EC2::Instance": instance(resource)
        case "AWS::ECS::Service": ecsService(resource)
        case "AWS::EKS::Nodegroup": eksNodegroup(resource)
        case "AWS::Lambda::Function": lambdaFunction(resource)
        case "AWS::RDS::DBInstance": dataStore(resource, AWSDataStores.rdsInstance)
        case "AWS::RDS::DBCluster", "AWS::DocDB::DBCluster", "AWS::Neptune::DBCluster": dataStore(resource, AWSDataStores.databaseCluster)
        case "AWS::DocDB::DBInstance", "AWS::Neptune::DBInstance": component(resource, role: .datastore)
        case "AWS::ElastiCache::ReplicationGroup": dataStore(resource, AWSDataStores.cacheReplicationGroup)
        case "AWS::ElastiCache::CacheCluster": dataStore(resource, AWSDataStores.cacheCluster)
        case "AWS::DynamoDB::Table": dataStore(resource, AWSDataStores.dynamoTable)
        case "AWS::OpenSearchService::Domain", "AWS::Elasticsearch::Domain": dataStore(resource, AWSDataStores.searchDomain)
        case "AWS::EFS::FileSystem": dataStore(resource, AWSDataStores.fileSystem)
        case "AWS::EC2::Subnet": subnet(resource)
        case "AWS::ElasticLoadBalancingV2::LoadBalancer": loadBalancerV2(resource)
        case "AWS::ElasticLoadBalancing::LoadBalancer": classicLoadBalancer(resource)
        case "AWS::ElasticLoadBalancingV2::TargetGroup": targetGroup(resource)
        case "AWS::EC2::NatGateway": natGateway(resource)
        case "AWS::Route53::RecordSet": recordSet(resource)
        case "AWS::CloudWatch::Alarm": alarm(resource)
        default: nil
        }
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

    mutating func relate(_ kind: Relationship.Kind, from: String, to: String, at location: SourceLocation) {
        relationships.append((kind, from, to, location))
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

    /// A property's key and resolved value, following a path of keys from `Properties`.
    func property(_ resource: Template.Resource, _ path: String...) -> (key: Node, value: Template.Resolved)? {
        properties(resource).property(path)
    }

    func intFact(_ resource: Template.Resource, _ path: String..., default defaultValue: Int?) -> Fact<Int>? {
        properties(resource).int(path, default: defaultValue)
    }

    func boolFact(_ resource: Template.Resource, _ path: String..., default defaultValue: Bool?) -> Fact<Bool>? {
        properties(resource).bool(path, default: defaultValue)
    }

    func stringFact(_ resource: Template.Resource, _ path: String..., default defaultValue: String?) -> Fact<String>? {
        properties(resource).string(path, default: defaultValue)
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

    /// The logical IDs a resolved value refers to (`Ref`/`GetAtt` of resources), flattening lists.
    static func resourceIDs(_ value: Template.Value) -> [String] {
        switch value {
        case .resource(let id, _): [id]
        case .list(let values): values.flatMap(resourceIDs)
        default: []
        }
    }

    /// The zones a list of subnets (or of zones) resolves to (see `CloudFormationProperties.zones`).
    /// Subnets also become `runs-in` relationships.
    mutating func zones(_ resource: Template.Resource, _ path: String..., ofSubnets: Bool = true) -> Fact<[String]>? {
        guard ofSubnets else { return properties(resource).zoneNames(path) }
        var subnets: [(id: String, at: SourceLocation)] = []
        let zones = properties(resource).zones(path, zoneOf: { subnetZone($0) }) { item, at in
            if let subnet = subnetID(item) { subnets.append((subnet, at)) }
        }
        for subnet in subnets { relate(.runsIn, from: resource.id, to: subnet.id, at: subnet.at) }
        return zones
    }

    /// The subnet a list item names: a `Ref`, or a SubnetMappings entry's SubnetId.
    func subnetID(_ value: Template.Value) -> String? {
        switch value {
        case .resource(let id, nil): id
        case .object(let mapping): mapping["SubnetId"].flatMap { node in
            if case .resource(let id, nil) = template.evaluate(node).value { return id }
            return nil
        }
        default: nil
        }
    }

    typealias Unresolved = CloudFormationProperties.Unresolved

    /// The zone of a subnet, through its `AvailabilityZone` (or `AvailabilityZoneId`).
    func subnetZone(_ value: Template.Value) -> Result<String, Unresolved> {
        switch value {
        case .resource(let id, nil):
            guard let subnet = template.resource(id), subnet.type == "AWS::EC2::Subnet" else {
                return .failure(Unresolved(message: "\(id) is not a subnet of this template"))
            }
            guard let zone = property(subnet, "AvailabilityZone") ?? property(subnet, "AvailabilityZoneId") else {
                return .failure(Unresolved(message: "subnet \(id) names no zone, so EC2 picks one"))
            }
            return CloudFormationProperties.zoneName(zone.value.value).mapError { Unresolved(message: "the zone of subnet \(id): \($0.message)") }
        case .object(let mapping):
            // A SubnetMappings entry.
            guard let id = mapping["SubnetId"] else { return .failure(Unresolved(message: "a subnet mapping without SubnetId")) }
            return subnetZone(template.evaluate(id).value)
        case .text(let text):
            return .failure(Unresolved(message: "subnet \(text) is not defined in the scanned template"))
        case .unknown(let reason):
            return .failure(Unresolved(message: reason))
        default:
            return .failure(Unresolved(message: "a subnet that cannot be resolved"))
        }
    }
}
