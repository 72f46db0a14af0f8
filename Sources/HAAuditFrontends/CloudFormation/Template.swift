import HAAuditModel
import HAAuditReaders

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
    /// Conditions by name, with the key that names each (where a diagnostic about it points).
    let conditions: [String: Node.Entry]
    let resources: [Resource]
    private let resourceIndex: [String: Int]
    /// What evaluation has computed and raised so far; shared by copies of the template.
    private let memory = EvaluationMemory()

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

    /// How many steps (values and condition operands visited) evaluating one expression may
    /// take; past it the value is unknown. The largest expressions of real templates (a long
    /// `Fn::Join` of user data) take a few hundred. Each condition and each mapping lookup is
    /// computed once per template, with a budget of its own, so evaluating a whole template
    /// stays linear in its size.
    static let workBudget = 10_000

    /// The longest text `Fn::Join` and `Fn::Sub` build, in UTF-8 bytes; past it the value is
    /// unknown. No value availability depends on comes near it, and it stops text that doubles
    /// at each level of nesting from growing exponentially.
    static let maxTextLength = 64 * 1024

    /// The value of an expression, evaluated within a work budget of its own.
    func evaluate(_ node: Node) -> Resolved {
        withOwnBudget(overBudget: Self.overBudget) { resolve(node, depth: 0) }
    }

    // Made on each use: a stored static holding an indirect enum reads as a leak to LeakSanitizer.
    private static var overBudget: Resolved { Resolved(value: .unknown("the expression takes more than \(workBudget) steps to evaluate")) }

    private func resolve(_ node: Node, depth: Int) -> Resolved {
        guard depth < 64 else { return Resolved(value: .unknown("the expression nests too deeply")) }
        guard takeStep() else { return Self.overBudget }
        guard let (name, argument) = Self.intrinsic(node) else {
            if node.isMapping { return Resolved(value: .object(node)) }
            guard node.isSequence else { return Resolved(value: node.isNull ? .noValue : .text(node.resolvedText ?? "")) }
            var values: [Value] = []
            var notes: [String] = []
            for item in node.items {
                let resolved = resolve(item, depth: depth + 1)
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
        case "Fn::Sub": return sub(argument, at: node, depth: depth)
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
        guard let defaultNode = parameter["Default"], let text = defaultNode.resolvedText ?? defaultNode.items.first?.resolvedText else {
            return Resolved(value: .unknown("parameter \(name) has no default"))
        }
        let type = parameter["Type"]?.string ?? "String"
        let note = "parameter \(name), default \(text.isEmpty ? "empty" : text)"
        if type.hasPrefix("List<") || type == "CommaDelimitedList" {
            let items = defaultNode.isSequence ? defaultNode.items.compactMap(\.resolvedText)
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
        let index = resolve(items[0], depth: depth + 1)
        guard let position = index.value.text.flatMap({ Int($0) }) else {
            return Resolved(value: .unknown("the index of Fn::Select cannot be resolved"), note: index.note)
        }
        // CloudFormation rejects a negative index whatever the list.
        guard position >= 0 else { return Resolved(value: .unknown("Fn::Select index \(position) is negative"), note: index.note) }
        let list = resolve(items[1], depth: depth + 1)
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
        guard let holds = conditionNamed(condition, depth: depth + 1) else {
            return Resolved(value: .unknown("condition \(condition) cannot be resolved"))
        }
        var resolved = resolve(items[holds ? 1 : 2], depth: depth + 1)
        let note = "condition \(condition) is \(holds)"
        resolved.note = resolved.note.map { "\(note); \($0)" } ?? note
        return resolved
    }

    private func join(_ argument: Node, depth: Int) -> Resolved {
        let items = argument.items
        guard items.count == 2, let delimiter = items[0].scalar else { return Resolved(value: .unknown("malformed Fn::Join")) }
        let list = resolve(items[1], depth: depth + 1)
        guard case .list(let values) = list.value else { return Resolved(value: .unknown("the list of Fn::Join cannot be resolved")) }
        var exact = true
        let parts = values.map { value -> String in
            switch value {
            case .text(let text): return text
            case .pattern(let text): exact = false; return text
            default: exact = false; return "*"
            }
        }
        let length = parts.reduce(delimiter.utf8.count * max(parts.count - 1, 0)) { $0 + $1.utf8.count }
        guard length <= Self.maxTextLength else { return Self.tooLong("Fn::Join") }
        let joined = parts.joined(separator: delimiter)
        return Resolved(value: exact ? .text(joined) : .pattern(joined), note: list.note)
    }

    private func sub(_ argument: Node, at node: Node, depth: Int) -> Resolved {
        let template: String
        var variables: [String: Value] = [:]
        if let text = argument.scalar {
            template = text
        } else if let text = argument.items.first?.scalar {
            template = text
            for entry in argument.items.dropFirst().first?.entries ?? [] {
                if let key = entry.key.scalar { variables[key] = resolve(entry.value, depth: depth + 1).value }
            }
        } else {
            return Resolved(value: .unknown("malformed Fn::Sub"))
        }
        var output = ""
        var exact = true
        var rest = Substring(template)
        while let start = rest.firstRange(of: "${") {
            output += rest[..<start.lowerBound]
            guard let end = rest[start.upperBound...].firstIndex(of: "}") else {
                report(.warning, "Fn::Sub has a ${ that is never closed; its value is unknown", at: node)
                return Resolved(value: .unknown("Fn::Sub has a ${ that is never closed"))
            }
            let name = String(rest[start.upperBound..<end])
            rest = rest[rest.index(after: end)...]
            if name.hasPrefix("!") {
                output += "${" + name.dropFirst() + "}"
            } else if let text = (variables[name] ?? (name.contains(".") ? .unknown("attribute") : reference(name).value)).text {
                output += text
            } else {
                exact = false
                output += "*"
            }
            guard output.utf8.count <= Self.maxTextLength else { return Self.tooLong("Fn::Sub") }
        }
        output += rest
        guard output.utf8.count <= Self.maxTextLength else { return Self.tooLong("Fn::Sub") }
        return Resolved(value: exact ? .text(output) : .pattern(output))
    }

    private static func tooLong(_ function: String) -> Resolved {
        Resolved(value: .unknown("\(function) builds text longer than \(maxTextLength) bytes"))
    }

    private func findInMap(_ argument: Node, depth: Int) -> Resolved {
        let items = argument.items
        guard items.count >= 3 else { return Resolved(value: .unknown("malformed Fn::FindInMap")) }
        let keys = items.prefix(3).map { resolve($0, depth: depth + 1) }
        guard let map = keys[0].value.text, let top = keys[1].value.text, let second = keys[2].value.text else {
            return Resolved(value: .unknown("a key of Fn::FindInMap cannot be resolved"))
        }
        guard let found = Self.entry(second, in: Self.entry(top, in: mappings?[map])?.value) else {
            return Resolved(value: .unknown("mapping \(map) has no \(top)/\(second)"))
        }
        let lookup = "mapping \(map).\(top).\(second)"
        var resolved = once(lookup, definedAt: found.key, in: \.lookups,
                            cycle: Resolved(value: .unknown("\(lookup) looks itself up")), overBudget: Self.overBudget) {
            resolve(found.value, depth: depth + 1)
        }
        resolved.note = resolved.note.map { "\(lookup); \($0)" } ?? lookup
        return resolved
    }

    /// The entry of a mapping under `key`, its keys read as YAML 1.1 reads them (`yes:` is the
    /// key `true`, as `Fn::FindInMap` sees it).
    private static func entry(_ key: String, in mapping: Node?) -> Node.Entry? {
        guard let mapping else { return nil }
        return mapping.entry(key) ?? mapping.entries.first { $0.key.resolvedText == key }
    }

    private func split(_ argument: Node, depth: Int) -> Resolved {
        let items = argument.items
        guard items.count == 2, let delimiter = items[0].scalar, !delimiter.isEmpty else { return Resolved(value: .unknown("malformed Fn::Split")) }
        let source = resolve(items[1], depth: depth + 1)
        guard let text = source.value.text else { return Resolved(value: .unknown("the text of Fn::Split cannot be resolved")) }
        return Resolved(value: .list(text.split(separator: delimiter, omittingEmptySubsequences: false).map { .text(String($0)) }),
                        note: source.note)
    }

    /// Whether a named condition holds, or nil when it cannot be resolved.
    func condition(_ name: String) -> Bool? {
        withOwnBudget(overBudget: nil) { conditionNamed(name, depth: 0) }
    }

    private func conditionNamed(_ name: String, depth: Int) -> Bool? {
        guard let entry = conditions[name] else { return nil }
        return once("condition \(name)", definedAt: entry.key, in: \.conditions, cycle: nil, overBudget: nil) {
            conditionValue(entry.value, depth: depth + 1)
        }
    }

    private func conditionValue(_ node: Node, depth: Int) -> Bool? {
        guard depth < 64, takeStep() else { return nil }
        if let flag = node.bool { return flag }
        guard let (name, argument) = Self.intrinsic(node) else { return nil }
        switch name {
        case "Condition": return argument.scalar.flatMap { conditionNamed($0, depth: depth + 1) }
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
            let sides = argument.items.map { resolve($0, depth: depth + 1).value.text }
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

    // MARK: Evaluation state

    /// Runs `body` with a work budget of its own, then gives the caller's back. A result
    /// reached after the budget ran out is incomplete: `overBudget` stands for it.
    private func withOwnBudget<Result>(overBudget: Result, _ body: () -> Result) -> Result {
        let callers = memory.remainingWork
        memory.remainingWork = Self.workBudget
        defer { memory.remainingWork = callers }
        let result = body()
        return memory.remainingWork < 0 ? overBudget : result
    }

    /// Spends one step of the budget; false once it is spent.
    private func takeStep() -> Bool {
        memory.remainingWork -= 1
        return memory.remainingWork >= 0
    }

    /// Computes a condition or mapping lookup once per template. Meeting it again while it is
    /// being computed is a cycle: every member of the cycle is then `cycle` (unknown), with an
    /// info diagnostic naming the cycle at the definition of the one met again.
    private func once<Result>(_ name: String, definedAt definition: Node,
                              in cache: ReferenceWritableKeyPath<EvaluationMemory, [String: Result]>,
                              cycle: Result, overBudget: Result, compute: () -> Result) -> Result {
        if let known = memory[keyPath: cache][name] { return known }
        if let start = memory.inProgress.firstIndex(of: name) {
            let members = memory.inProgress[start...]
            memory.cyclic.formUnion(members)
            report(.info, "\((members + [name]).joined(separator: " -> ")) is a cycle; it is evaluated as unknown", at: definition)
            return cycle
        }
        memory.inProgress.append(name)
        var result = withOwnBudget(overBudget: overBudget, compute)
        memory.inProgress.removeLast()
        if memory.cyclic.contains(name) { result = cycle }
        memory[keyPath: cache][name] = result
        return result
    }

    private func report(_ level: Diagnostic.Level, _ message: String, at node: Node) {
        let diagnostic = Diagnostic(level: level, message: message, location: document.location(node))
        if memory.reported.insert(diagnostic).inserted { memory.diagnostics.append(diagnostic) }
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

/// A template's evaluation state: conditions and mapping lookups are computed once each, and
/// the one being computed is known, so that meeting it again is a cycle.
private final class EvaluationMemory {
    var conditions: [String: Bool?] = [:]
    var lookups: [String: Template.Resolved] = [:]
    /// The conditions and lookups being computed, outermost first.
    var inProgress: [String] = []
    /// Members of cycles found: their results are unknown.
    var cyclic: Set<String> = []
    var remainingWork = Template.workBudget
    var diagnostics: [Diagnostic] = []
    var reported: Set<Diagnostic> = []
}

extension String {
    func trimmingWhitespace() -> String {
        var text = Substring(self)
        while text.first?.isWhitespace == true { text = text.dropFirst() }
        while text.last?.isWhitespace == true { text = text.dropLast() }
        return String(text)
    }
}
