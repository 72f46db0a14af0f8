/// What the topology report (`haaudit topology`) shows of a facet or a value: each facet says it
/// itself, beside its definition, so that a new facet is described where it is declared.
package protocol TopologyDescribable {
    var topologyDescription: JSONValue { get }
}

extension Fact: TopologyDescribable where Value: TopologyDescribable {
    package var topologyDescription: JSONValue {
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
    package var topologyDescription: JSONValue {
        .object([("path", .string(path)), ("line", .int(line)), ("column", .int(column))])
    }
}

extension Int: TopologyDescribable {
    package var topologyDescription: JSONValue { .int(self) }
}

extension Bool: TopologyDescribable {
    package var topologyDescription: JSONValue { .bool(self) }
}

extension String: TopologyDescribable {
    package var topologyDescription: JSONValue { .string(self) }
}

extension Array: TopologyDescribable where Element: TopologyDescribable {
    package var topologyDescription: JSONValue { .array(map(\.topologyDescription)) }
}

/// Keys in order, so that the report does not change from run to run.
extension Dictionary: TopologyDescribable where Key == String, Value: TopologyDescribable {
    package var topologyDescription: JSONValue {
        .object(sorted { $0.key < $1.key }.map { ($0.key, $0.value.topologyDescription) })
    }
}
