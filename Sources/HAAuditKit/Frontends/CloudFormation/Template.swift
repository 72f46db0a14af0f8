/// A CloudFormation template (JSON or YAML, short or long intrinsic forms) and the small
/// evaluator that resolves the values availability depends on.
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
    let conditions: [String: Node]
    let resources: [Resource]
    private let resourceIndex: [String: Int]

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
        conditions = Dictionary(root["Conditions"]?.entries.compactMap { entry in entry.key.scalar.map { ($0, entry.value) } } ?? [],
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

    // MARK: Evaluation

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
        case unknown(String)

        var text: String? {
            if case .text(let text) = self { return text }
            return nil
        }

        var unknownReason: String? {
            if case .unknown(let reason) = self { return reason }
            return nil
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

    func evaluate(_ node: Node, depth: Int = 0) -> Resolved {
        guard depth < 64 else { return Resolved(value: .unknown("the expression nests too deeply")) }
        guard let (name, argument) = Self.intrinsic(node) else {
            if node.isMapping { return Resolved(value: .object(node)) }
            guard node.isSequence else { return Resolved(value: node.isNull ? .noValue : .text(node.scalar ?? "")) }
            var values: [Value] = []
            var notes: [String] = []
            for item in node.items {
                let resolved = evaluate(item, depth: depth + 1)
                if case .noValue = resolved.value { continue }
                values.append(resolved.value)
                if let note = resolved.note { notes.append(note) }
            }
            return Resolved(value: .list(values), note: notes.isEmpty ? nil : Array(Set(notes)).sorted().joined(separator: "; "))
        }
        switch name {
        case "Ref": return reference(argument.scalar ?? "")
        case "Fn::GetAtt": return getAtt(argument)
        case "Fn::GetAZs": return Resolved(value: .zones)
        case "Fn::Select": return select(argument, depth: depth)
        case "Fn::If": return ifValue(argument, depth: depth)
        case "Fn::Join": return join(argument, depth: depth)
        case "Fn::Sub": return sub(argument, depth: depth)
        case "Fn::FindInMap": return findInMap(argument, depth: depth)
        case "Fn::Split": return split(argument, depth: depth)
        default: return Resolved(value: .unknown("\(name) is resolved only when the stack is deployed"))
        }
    }

    private func reference(_ name: String) -> Resolved {
        if resourceIndex[name] != nil { return Resolved(value: .resource(name, attribute: nil)) }
        if name == "AWS::NoValue" { return Resolved(value: .noValue) }
        if name.hasPrefix("AWS::") { return Resolved(value: .unknown("\(name) is known only at deploy time")) }
        guard let parameter = parameters[name] else { return Resolved(value: .unknown("\(name) is neither a parameter nor a resource")) }
        guard let defaultNode = parameter["Default"], let text = defaultNode.scalar ?? defaultNode.items.first?.scalar else {
            return Resolved(value: .unknown("parameter \(name) has no default"))
        }
        let type = parameter["Type"]?.string ?? "String"
        let note = "parameter \(name), default \(text.isEmpty ? "empty" : text)"
        if type.hasPrefix("List<") || type == "CommaDelimitedList" {
            let items = defaultNode.isSequence ? defaultNode.items.compactMap(\.scalar)
                : text.split(separator: ",").map { String($0).trimmingWhitespace() }
            return Resolved(value: .list(items.map(Value.text)), note: note)
        }
        return Resolved(value: .text(text), note: note)
    }

    private func getAtt(_ argument: Node) -> Resolved {
        let parts: [String]
        if let text = argument.scalar {
            guard let dot = text.firstIndex(of: ".") else { return Resolved(value: .unknown("malformed Fn::GetAtt")) }
            parts = [String(text[..<dot]), String(text[text.index(after: dot)...])]
        } else {
            parts = argument.items.compactMap(\.scalar)
        }
        guard parts.count == 2, resourceIndex[parts[0]] != nil else {
            return Resolved(value: .unknown("Fn::GetAtt of something that is not a resource of this template"))
        }
        return Resolved(value: .resource(parts[0], attribute: parts[1]))
    }

    private func select(_ argument: Node, depth: Int) -> Resolved {
        let items = argument.items
        guard items.count == 2 else { return Resolved(value: .unknown("malformed Fn::Select")) }
        let index = evaluate(items[0], depth: depth + 1)
        guard let position = index.value.text.flatMap({ Int($0) }) else {
            return Resolved(value: .unknown("the index of Fn::Select cannot be resolved"), note: index.note)
        }
        let list = evaluate(items[1], depth: depth + 1)
        switch list.value {
        case .zones: return Resolved(value: .zone(position), note: list.note)
        case .list(let values) where values.indices.contains(position): return Resolved(value: values[position], note: list.note)
        case .unknown(let reason):
            // Quick starts pick zones as `!Select [i, !Ref AvailabilityZones]` of a list parameter.
            if case .some(("Ref", let reference)) = Self.intrinsic(items[1]).map({ ($0.name, $0.argument) }),
               let name = reference.scalar, let type = parameters[name]?["Type"]?.string,
               type.hasPrefix("List<") || type == "CommaDelimitedList" {
                return Resolved(value: .element(parameter: name, index: position))
            }
            return Resolved(value: .unknown(reason), note: list.note)
        default: return Resolved(value: .unknown("Fn::Select index \(position) is out of range"), note: list.note)
        }
    }

    private func ifValue(_ argument: Node, depth: Int) -> Resolved {
        let items = argument.items
        guard items.count == 3, let condition = items[0].scalar else { return Resolved(value: .unknown("malformed Fn::If")) }
        guard let holds = self.condition(condition, depth: depth + 1) else {
            return Resolved(value: .unknown("condition \(condition) cannot be resolved"))
        }
        var resolved = evaluate(items[holds ? 1 : 2], depth: depth + 1)
        let note = "condition \(condition) is \(holds)"
        resolved.note = resolved.note.map { "\(note); \($0)" } ?? note
        return resolved
    }

    private func join(_ argument: Node, depth: Int) -> Resolved {
        let items = argument.items
        guard items.count == 2, let delimiter = items[0].scalar else { return Resolved(value: .unknown("malformed Fn::Join")) }
        let list = evaluate(items[1], depth: depth + 1)
        guard case .list(let values) = list.value else { return Resolved(value: .unknown("the list of Fn::Join cannot be resolved")) }
        var exact = true
        let parts = values.map { value -> String in
            switch value {
            case .text(let text): return text
            case .pattern(let text): exact = false; return text
            default: exact = false; return "*"
            }
        }
        let joined = parts.joined(separator: delimiter)
        return Resolved(value: exact ? .text(joined) : .pattern(joined), note: list.note)
    }

    private func sub(_ argument: Node, depth: Int) -> Resolved {
        let template: String
        var variables: [String: Value] = [:]
        if let text = argument.scalar {
            template = text
        } else if let text = argument.items.first?.scalar {
            template = text
            for entry in argument.items.dropFirst().first?.entries ?? [] {
                if let key = entry.key.scalar { variables[key] = evaluate(entry.value, depth: depth + 1).value }
            }
        } else {
            return Resolved(value: .unknown("malformed Fn::Sub"))
        }
        var output = ""
        var exact = true
        var rest = Substring(template)
        while let start = rest.firstRange(of: "${") {
            output += rest[..<start.lowerBound]
            guard let end = rest[start.upperBound...].firstIndex(of: "}") else { break }
            let name = String(rest[start.upperBound..<end])
            rest = rest[rest.index(after: end)...]
            if name.hasPrefix("!") {
                output += "${" + name.dropFirst() + "}"
                continue
            }
            let value = variables[name] ?? (name.contains(".") ? .unknown("attribute") : reference(name).value)
            if let text = value.text {
                output += text
            } else {
                exact = false
                output += "*"
            }
        }
        output += rest
        return Resolved(value: exact ? .text(output) : .pattern(output))
    }

    private func findInMap(_ argument: Node, depth: Int) -> Resolved {
        let items = argument.items
        guard items.count >= 3 else { return Resolved(value: .unknown("malformed Fn::FindInMap")) }
        let keys = items.prefix(3).map { evaluate($0, depth: depth + 1) }
        guard let map = keys[0].value.text, let top = keys[1].value.text, let second = keys[2].value.text else {
            return Resolved(value: .unknown("a key of Fn::FindInMap cannot be resolved"))
        }
        guard let found = mappings?[map]?[top]?[second] else {
            return Resolved(value: .unknown("mapping \(map) has no \(top)/\(second)"))
        }
        var resolved = evaluate(found, depth: depth + 1)
        let note = "mapping \(map).\(top).\(second)"
        resolved.note = resolved.note.map { "\(note); \($0)" } ?? note
        return resolved
    }

    private func split(_ argument: Node, depth: Int) -> Resolved {
        let items = argument.items
        guard items.count == 2, let delimiter = items[0].scalar, !delimiter.isEmpty else { return Resolved(value: .unknown("malformed Fn::Split")) }
        let source = evaluate(items[1], depth: depth + 1)
        guard let text = source.value.text else { return Resolved(value: .unknown("the text of Fn::Split cannot be resolved")) }
        return Resolved(value: .list(text.split(separator: delimiter, omittingEmptySubsequences: false).map { .text(String($0)) }),
                        note: source.note)
    }

    /// Whether a named condition holds, or nil when it cannot be resolved.
    func condition(_ name: String, depth: Int = 0) -> Bool? {
        guard depth < 64, let node = conditions[name] else { return nil }
        return conditionValue(node, depth: depth + 1)
    }

    private func conditionValue(_ node: Node, depth: Int) -> Bool? {
        guard depth < 64 else { return nil }
        if let flag = node.bool { return flag }
        guard let (name, argument) = Self.intrinsic(node) else { return nil }
        switch name {
        case "Condition": return argument.scalar.flatMap { condition($0, depth: depth + 1) }
        case "Fn::Not": return argument.items.first.flatMap { conditionValue($0, depth: depth + 1) }.map(!)
        case "Fn::And", "Fn::Or":
            let values = argument.items.map { conditionValue($0, depth: depth + 1) }
            if name == "Fn::And" {
                if values.contains(false) { return false }
                return values.contains(nil) ? nil : true
            }
            if values.contains(true) { return true }
            return values.contains(nil) ? nil : false
        case "Fn::Equals":
            let sides = argument.items.map { evaluate($0, depth: depth + 1).value.text }
            guard sides.count == 2, let left = sides[0], let right = sides[1] else { return nil }
            return left == right
        default: return nil
        }
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

extension String {
    func trimmingWhitespace() -> String {
        var text = Substring(self)
        while text.first?.isWhitespace == true { text = text.dropFirst() }
        while text.last?.isWhitespace == true { text = text.dropLast() }
        return String(text)
    }
}
