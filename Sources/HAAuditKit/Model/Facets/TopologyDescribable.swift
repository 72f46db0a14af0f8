/// What the topology report (`haaudit topology`) shows of a facet or a value: each facet says it
/// itself, beside its definition, so that a new facet is described where it is declared.
protocol TopologyDescribable {
    var topologyDescription: JSONValue { get }
}

extension Fact: TopologyDescribable where Value: TopologyDescribable {
    var topologyDescription: JSONValue {
        var fields: [(String, JSONValue)] = [
            ("value", value?.topologyDescription ?? .null),
            ("certainty", .string(certainty.rawValue)),
            ("source", .string(source)),
        ]
        if let reason { fields.append(("reason", .string(reason))) }
        fields.append(("location", location.topologyDescription))
        return .object(fields)
    }
}

extension SourceLocation: TopologyDescribable {
    var topologyDescription: JSONValue { JSONReporter.location(self) }
}

extension Int: TopologyDescribable {
    var topologyDescription: JSONValue { .int(self) }
}

extension Bool: TopologyDescribable {
    var topologyDescription: JSONValue { .bool(self) }
}

extension String: TopologyDescribable {
    var topologyDescription: JSONValue { .string(self) }
}

extension Array: TopologyDescribable where Element: TopologyDescribable {
    var topologyDescription: JSONValue { .array(map(\.topologyDescription)) }
}

/// Keys in order, so that the report does not change from run to run.
extension Dictionary: TopologyDescribable where Key == String, Value: TopologyDescribable {
    var topologyDescription: JSONValue {
        .object(sorted { $0.key < $1.key }.map { ($0.key, $0.value.topologyDescription) })
    }
}
