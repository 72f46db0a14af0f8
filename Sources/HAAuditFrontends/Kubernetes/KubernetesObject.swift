import HAAuditModel
import HAAuditReaders

/// A Kubernetes object found in a document, with the identity every lowering step needs.
struct KubernetesObject: Sendable {
    var document: SourceDocument
    var node: Node
    var apiVersion: String
    var kind: String
    var name: String
    var namespace: String
    var namespaceIsImplicit: Bool

    /// The API group, `""` for the core group (`v1`).
    var group: String {
        guard let slash = apiVersion.firstIndex(of: "/") else { return "" }
        return String(apiVersion[..<slash])
    }

    /// An object of a rendered variant is told apart from the same object of another variant.
    var id: String { "k8s:\(namespace)/\(kind)/\(name)" + (document.variant.map { "@\($0)" } ?? "") }

    var location: SourceLocation { document.location(node) }

    func location(_ node: Node) -> SourceLocation { document.location(node) }

    /// A whole-number field with its platform default: known where written, defaulted where absent,
    /// unknown where written as something else (a template placeholder, say).
    func intFact(_ mapping: Node?, _ key: String, default defaultValue: Int?, source: String,
                 absentAt anchor: SourceLocation) -> Fact<Int>? {
        guard let entry = mapping?.entry(key), !entry.value.isNull else {
            return defaultValue.map { .defaulted($0, at: anchor, source: source) }
        }
        let at = document.location(entry.key)
        if let value = entry.value.int { return .known(value, at: at, source: source) }
        return .unknown(at: at, source: source, reason: "'\(entry.value.scalar ?? "a non-scalar value")' is not a whole number")
    }

    /// Reads an IntOrString count such as `minAvailable: 50%`.
    func intOrPercentFact(_ mapping: Node?, _ key: String, source: String) -> Fact<IntOrPercent>? {
        guard let entry = mapping?.entry(key), !entry.value.isNull else { return nil }
        let at = document.location(entry.key)
        if let count = entry.value.int { return .known(.count(count), at: at, source: source) }
        if let text = entry.value.scalar, text.hasSuffix("%"), let percent = Int(text.dropLast()) {
            return .known(.percent(percent), at: at, source: source)
        }
        if let text = entry.value.scalar, let count = Int(text) { return .known(.count(count), at: at, source: source) }
        return .unknown(at: at, source: source, reason: "'\(entry.value.scalar ?? "a non-scalar value")' is neither a count nor a percentage")
    }

    /// A port written as a number or as the name of a container port.
    func portReference(_ node: Node?) -> PortReference? {
        guard let node, !node.isNull, let text = node.scalar else { return nil }
        let at = document.location(node)
        if let number = node.int ?? Int(text) { return PortReference(value: .number(number), location: at) }
        return PortReference(value: .name(text), location: at)
    }

    /// A string-to-string map such as labels; non-string values are read as their text.
    static func stringMap(_ node: Node?) -> [String: String] {
        var map: [String: String] = [:]
        for entry in node?.entries ?? [] {
            if let key = entry.key.scalar, let value = entry.value.scalar { map[key] = value }
        }
        return map
    }

    /// A full LabelSelector: matchLabels and matchExpressions.
    static func labelSelector(_ node: Node?) -> LabelSelector {
        var selector = LabelSelector(matchLabels: stringMap(node?["matchLabels"]))
        for expression in node?["matchExpressions"]?.items ?? [] {
            guard let key = expression["key"]?.scalar,
                  let op = expression["operator"]?.scalar.flatMap(LabelSelector.Operator.init(rawValue:)) else { continue }
            let values = expression["values"]?.items.compactMap(\.scalar) ?? []
            selector.requirements.append(.init(key: key, op: op, values: values))
        }
        return selector
    }
}
