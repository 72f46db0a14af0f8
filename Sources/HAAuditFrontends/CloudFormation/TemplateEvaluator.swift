import HAAuditModel
import HAAuditReaders

/// The evaluator of intrinsic functions: `Ref`, `Fn::GetAtt`, `Fn::Select`, `Fn::If`, `Fn::Join`,
/// `Fn::Sub`, `Fn::FindInMap`, `Fn::Split`, `Fn::GetAZs`, `Fn::Base64` (the text it encodes:
/// user data is read as the script it is); what it cannot know before deployment is unknown,
/// with the reason.
extension Template {
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

    /// Parameter types whose value names exactly one subnet or one zone.
    static let singleValuedTypes: Set<String> = ["AWS::EC2::Subnet::Id", "AWS::EC2::AvailabilityZone::Name"]

    /// The value of an expression, evaluated within a work budget of its own.
    func evaluate(_ node: Node) -> Resolved {
        withOwnBudget(overBudget: Self.overBudget) { resolve(node, depth: 0) }
    }

    // Made on each use: a stored static holding an indirect enum reads as a leak to LeakSanitizer.
    static var overBudget: Resolved { Resolved(value: .unknown("the expression takes more than \(workBudget) steps to evaluate")) }

    func resolve(_ node: Node, depth: Int) -> Resolved {
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
        case "Fn::Base64": return resolve(argument, depth: depth + 1)
        default: return Resolved(value: .unknown("\(name) is resolved only when the stack is deployed"))
        }
    }

    private func reference(_ name: String) -> Resolved {
        if resourceIndex[name] != nil { return Resolved(value: .resource(name, attribute: nil)) }
        if name == "AWS::NoValue" { return Resolved(value: .noValue) }
        if name.hasPrefix("AWS::") { return Resolved(value: .unknown("\(name) is known only at deploy time")) }
        guard let parameter = parameters[name] else { return Resolved(value: .unknown("\(name) is neither a parameter nor a resource")) }
        let type = parameter["Type"]?.string ?? "String"
        guard let defaultNode = parameter["Default"], let text = defaultNode.resolvedText ?? defaultNode.items.first?.resolvedText else {
            return Resolved(value: Self.singleValuedTypes.contains(type) ? .parameter(name) : .unknown("parameter \(name) has no default"))
        }
        let note = "parameter \(name), default \(text.isEmpty ? "empty" : text)"
        if type.hasPrefix("List<") || type == "CommaDelimitedList" {
            let items = defaultNode.isSequence ? defaultNode.items.compactMap(\.resolvedText)
                : text.split(separator: ",").map { String($0).trimmingWhitespace() }
            return Resolved(value: .list(items.map(Value.text)), note: note)
        }
        return Resolved(value: .text(text), note: note)
    }

    func getAtt(_ argument: Node) -> Resolved {
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
}
