import HAAuditModel
import HAAuditReaders

/// A CloudFormation template (JSON or YAML, short or long intrinsic forms): its sections, the
/// values its evaluator (TemplateEvaluator.swift) resolves, and the resources a value refers to.
struct Template {
    struct Resource {
        var id: String
        var type: String
        var node: Node
        /// The logical ID's key: where findings about absent properties anchor.
        var position: Position

        var properties: Node? { node["Properties"] }
    }

    let document: SourceDocument
    let parameters: [String: Node]
    let mappings: Node?
    /// Conditions by name, with the key that names each (where a diagnostic about it points).
    let conditions: [String: Node.Entry]
    let resources: [Resource]
    let resourceIndex: [String: Int]
    /// What evaluation has computed and raised so far; shared by copies of the template.
    let memory = EvaluationMemory()

    /// What evaluation found wrong in the template so far (cycles, malformed `Fn::Sub`).
    var diagnostics: [Diagnostic] { memory.diagnostics }

    /// A template is a document with `AWSTemplateFormatVersion`, or a `Resources` map whose
    /// entries have an `AWS::` (or `Custom::`) Type.
    init?(_ document: SourceDocument) {
        let root = document.root
        let resourceEntries = root["Resources"]?.entries ?? []
        let looksLikeResources = !resourceEntries.isEmpty && resourceEntries.allSatisfy { entry in
            guard let type = entry.value["Type"]?.string else { return false }
            return type.hasPrefix("AWS::") || type.hasPrefix("Custom::") || type.hasPrefix("Alexa::")
        }
        guard root["AWSTemplateFormatVersion"] != nil || looksLikeResources else { return nil }
        self.document = document
        parameters = Dictionary(root["Parameters"]?.entries.compactMap { entry in entry.key.scalar.map { ($0, entry.value) } } ?? [],
                                uniquingKeysWith: { first, _ in first })
        mappings = root["Mappings"]
        conditions = Dictionary(root["Conditions"]?.entries.compactMap { entry in entry.key.scalar.map { ($0, entry) } } ?? [],
                                uniquingKeysWith: { first, _ in first })
        resources = resourceEntries.compactMap { entry in
            guard let id = entry.key.scalar, let type = entry.value["Type"]?.string else { return nil }
            return Resource(id: id, type: type, node: entry.value, position: entry.key.position)
        }
        resourceIndex = Dictionary(resources.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })
    }

    func resource(_ id: String) -> Resource? {
        resourceIndex[id].map { resources[$0] }
    }


    /// What a value resolves to. Strings, numbers and booleans are all text, as CloudFormation
    /// itself passes them.
    indirect enum Value {
        case text(String)
        case list([Value])
        /// A mapping that is not an intrinsic function.
        case object(Node)
        /// `Ref` or `Fn::GetAtt` of a resource in this template.
        case resource(String, attribute: String?)
        /// `Fn::Select [i, Fn::GetAZs ...]`: a zone whose name is unknown but distinct from
        /// every other index.
        case zone(Int)
        /// `Fn::GetAZs`: every zone of the region.
        case zones
        /// `Fn::Select [i, Ref: P]` of a list parameter without a default: unknown, but distinct
        /// from the other items of the same list.
        case element(parameter: String, index: Int)
        /// `Ref: AWS::NoValue`: the property is absent.
        case noValue
        /// Text with unknown parts (`Fn::Sub` over the region, say), unknown parts as `*`.
        case pattern(String)
        /// `Ref` of a parameter without a default whose type names one subnet or one zone:
        /// unknown, but a single value.
        case parameter(String)
        case unknown(String)

        var text: String? {
            if case .text(let text) = self { return text }
            return nil
        }

        var unknownReason: String? {
            switch self {
            case .unknown(let reason): reason
            case .parameter(let name): "parameter \(name) has no default"
            default: nil
            }
        }
    }

    /// A value and, when it was not written in place, where it came from.
    struct Resolved {
        var value: Value
        var note: String?
    }

    /// The name of the intrinsic function a node is, with its argument, for the long form
    /// (`{"Fn::Select": [...]}`) and the YAML short form (`!Select [...]`) alike.
    static func intrinsic(_ node: Node) -> (name: String, argument: Node)? {
        if let tag = node.tag, tag.hasPrefix("!") {
            let name = String(tag.dropFirst())
            return (name == "Ref" || name == "Condition" ? name : "Fn::" + name, node)
        }
        // Every value evaluated passes here: test the kind before making anything.
        guard node.isMapping else { return nil }
        let entries = node.entries
        guard entries.count == 1, let key = entries[0].key.scalar,
              key == "Ref" || key == "Condition" || key.hasPrefix("Fn::") else { return nil }
        return (key, entries[0].value)
    }

    /// Each resource a value mentions, once, in the order first mentioned (not a Set's order,
    /// which changes from run to run): relationships drawn from it come out the same each time.
    func distinctReferencedResources(in node: Node) -> [String] {
        var seen: Set<String> = []
        return referencedResources(in: node).filter { seen.insert($0).inserted }
    }

    /// The resources a value mentions anywhere inside it: `Ref`, `Fn::GetAtt`, `${X}` in `Fn::Sub`.
    func referencedResources(in node: Node, depth: Int = 0) -> [String] {
        guard depth < 64 else { return [] }
        if let (name, argument) = Self.intrinsic(node) {
            switch name {
            case "Ref": return argument.scalar.flatMap { resourceIndex[$0] != nil ? [$0] : nil } ?? []
            case "Fn::GetAtt":
                if case .resource(let id, _) = getAtt(argument).value { return [id] }
                return []
            case "Fn::Sub":
                let text = argument.scalar ?? argument.items.first?.scalar ?? ""
                return subReferences(text) + argument.items.dropFirst().flatMap { referencedResources(in: $0, depth: depth + 1) }
            default:
                // The argument may itself be an intrinsic (`Fn::Base64: !Sub ...`); a tagged node
                // is its own argument.
                if node.tag == nil, Self.intrinsic(argument) != nil { return referencedResources(in: argument, depth: depth + 1) }
                return argument.items.flatMap { referencedResources(in: $0, depth: depth + 1) }
                    + argument.entries.flatMap { referencedResources(in: $0.value, depth: depth + 1) }
            }
        }
        return node.items.flatMap { referencedResources(in: $0, depth: depth + 1) }
            + node.entries.flatMap { referencedResources(in: $0.value, depth: depth + 1) }
    }

    private func subReferences(_ text: String) -> [String] {
        var found: [String] = []
        var rest = Substring(text)
        while let start = rest.firstRange(of: "${") {
            guard let end = rest[start.upperBound...].firstIndex(of: "}") else { break }
            let name = rest[start.upperBound..<end].split(separator: ".").first.map(String.init) ?? ""
            if resourceIndex[name] != nil { found.append(name) }
            rest = rest[rest.index(after: end)...]
        }
        return found
    }
}
