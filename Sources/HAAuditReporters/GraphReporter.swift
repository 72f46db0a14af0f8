import HAAuditEngine
import HAAuditModel
import HAAuditRules

/// The topology as a graph (`haaudit topology --format mermaid|dot`): one node a component,
/// coloured by its worst finding; one edge a relationship; components held in one zone drawn
/// inside that zone.
public enum GraphReporter {
    public static func mermaid(_ result: AuditResult) -> String {
        let graph = Graph(result)
        var output = "flowchart LR\n"
        for (index, zone) in graph.zones.enumerated() {
            output += "  subgraph zone\(index)[\"\(Escaping.mermaidLabel(zoneLabel(zone.name)))\"]\n"
            output += zone.members.map { "    \(graph.node($0))\n" }.joined()
            output += "  end\n"
        }
        output += graph.unzoned.map { "  \(graph.node($0))\n" }.joined()
        for edge in graph.edges {
            output += "  n\(edge.from) -->|\(edge.kind)| n\(edge.to)\n"
        }
        for (index, omitted) in graph.omitted.enumerated() {
            output += "  more\(index)[\"and \(omitted.count) more\"]\n  n\(omitted.from) -.->|\(omitted.kind)| more\(index)\n"
        }
        for shade in Shade.allCases {
            output += "  classDef \(shade.rawValue) fill:\(shade.fill),stroke:#333,color:\(shade.text)\n"
            let members = graph.nodes.indices.filter { graph.nodes[$0].shade == shade }
            if !members.isEmpty { output += "  class \(members.map { "n\($0)" }.joined(separator: ",")) \(shade.rawValue)\n" }
        }
        return output
    }

    public static func dot(_ result: AuditResult) -> String {
        let graph = Graph(result)
        var output = "digraph haaudit {\n  rankdir=LR;\n  node [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\"];\n"
        func node(_ index: Int) -> String {
            let node = graph.nodes[index]
            return "n\(index) [label=\"\(node.label(escape: Escaping.dotString, lineBreak: "\\n"))\", fillcolor=\"\(node.shade.fill)\", fontcolor=\"\(node.shade.text)\"];"
        }
        for (index, zone) in graph.zones.enumerated() {
            output += "  subgraph cluster_zone\(index) {\n    label=\"\(Escaping.dotString(zoneLabel(zone.name)))\";\n    style=dashed;\n"
            output += zone.members.map { "    \(node($0))\n" }.joined()
            output += "  }\n"
        }
        output += graph.unzoned.map { "  \(node($0))\n" }.joined()
        for edge in graph.edges {
            output += "  n\(edge.from) -> n\(edge.to) [label=\"\(edge.kind)\"];\n"
        }
        for (index, omitted) in graph.omitted.enumerated() {
            output += "  more\(index) [label=\"and \(omitted.count) more\", shape=plaintext];\n"
            output += "  n\(omitted.from) -> more\(index) [label=\"\(omitted.kind)\", style=dashed];\n"
        }
        return output + "}\n"
    }

    /// Symbolic zones read "zone #0 of Fn::GetAZs" already.
    static func zoneLabel(_ name: String) -> String {
        name.hasPrefix("zone") ? name : "zone \(name)"
    }

    /// Fill colours by worst unsuppressed finding.
    enum Shade: String, CaseIterable {
        case critical, high, medium, low, clean

        init(_ severity: Severity?) {
            switch severity {
            case .critical: self = .critical
            case .high: self = .high
            case .medium: self = .medium
            case .low: self = .low
            case .info, nil: self = .clean
            }
        }

        var fill: String {
            switch self {
            case .critical: "#b60205"
            case .high: "#e4606d"
            case .medium: "#fbca04"
            case .low: "#c5def5"
            case .clean: "#c2e0c6"
            }
        }

        var text: String { self == .critical ? "#ffffff" : "#000000" }
    }

    struct Graph {
        struct Node {
            var title: String
            /// The kind's last word and the name (`AutoScalingGroup Web`), for narrow boxes.
            var shortTitle: String
            /// The worst unsuppressed finding's.
            var severity: Severity?
            /// The one zone the component is held in, when the model knows it.
            var zone: String?

            /// The title, and the worst severity on a second line, in a format's escaping.
            func label(escape: Escaping.Context, lineBreak: String) -> String {
                escape(title) + (severity.map { lineBreak + $0.rawValue } ?? "")
            }
            var shade: Shade { Shade(severity) }
        }

        var nodes: [Node] = []
        var zones: [(name: String, members: [Int])] = []
        var unzoned: [Int] = []
        var edges: [(from: Int, to: Int, kind: String)] = []
        /// Past `Relationship.listedPerSource` edges of one source written at one place, the
        /// rest are one dashed edge to a note of how many there are.
        var omitted: [(from: Int, count: Int, kind: String)] = []

        init(_ result: AuditResult) {
            var worst: [String: Severity] = [:]
            for finding in result.findings where !finding.isSuppressed {
                worst[finding.component.id] = max(worst[finding.component.id] ?? finding.severity, finding.severity)
            }
            var indexByID: [String: Int] = [:]
            var zoneIndex: [String: Int] = [:]
            for component in result.topology.components {
                let index = nodes.count
                indexByID[component.id] = index
                let kind = component.kind.split(separator: ":").last.map(String.init) ?? component.kind
                let zone = Self.zone(of: component)
                nodes.append(Node(title: component.title + (component.profile.map { " [\($0)]" } ?? ""),
                                  shortTitle: Component.title(kind: kind, namespace: component.namespace, name: component.name),
                                  severity: worst[component.id], zone: zone))
                if let zone {
                    if zoneIndex[zone] == nil {
                        zoneIndex[zone] = zones.count
                        zones.append((zone, []))
                    }
                    zones[zoneIndex[zone]!].members.append(index)
                } else {
                    unzoned.append(index)
                }
            }
            let relationships = result.topology.relationships()
            edges = relationships.listed.compactMap { relationship in
                guard let from = indexByID[relationship.from], let to = indexByID[relationship.to] else { return nil }
                return (from, to, relationship.kind.rawValue)
            }
            omitted = relationships.omitted.compactMap { omitted in
                indexByID[omitted.from].map { ($0, omitted.count, omitted.kind.rawValue) }
            }
        }

        /// The one zone a component is held in, when the model knows it.
        static func zone(of component: Component) -> String? {
            if let zones = component.placement?.confinedZones?.value, zones.count == 1 { return zones[0] }
            return component.zone?.value
        }

        func node(_ index: Int) -> String {
            "n\(index)[\"\(nodes[index].label(escape: Escaping.mermaidLabel, lineBreak: "<br/>"))\"]"
        }
    }
}
