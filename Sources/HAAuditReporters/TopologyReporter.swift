import HAAuditEngine
import HAAuditModel
import HAAuditRules

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
        fields += component.describedFacets.map { ($0.name, $0.facet.topologyDescription) }
        return .object(fields)
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
