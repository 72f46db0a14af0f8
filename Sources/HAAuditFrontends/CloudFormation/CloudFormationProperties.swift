import HAAuditModel
import HAAuditReaders

/// A CloudFormation resource's properties, resolved through the template's parameters,
/// mappings, conditions and intrinsic functions: how AWS semantics read a template.
struct CloudFormationProperties: AWSResourceProperties {
    let template: Template
    let resource: Template.Resource

    var type: String { resource.type }

    var location: SourceLocation { SourceLocation(path: template.document.path, resource.position) }

    /// A property's key and resolved value, following a path of keys from `Properties`.
    func property(_ path: [String]) -> (key: Node, value: Template.Resolved)? {
        var node = resource.properties
        for key in path.dropLast() { node = node?[key] }
        guard let entry = node?.entry(path.last!) else { return nil }
        let resolved = template.evaluate(entry.value)
        if case .noValue = resolved.value { return nil }
        return (entry.key, resolved)
    }

    func isSet(_ path: [String]) -> Bool { property(path) != nil }

    func text(_ path: [String]) -> String? { property(path)?.value.value.text }

    /// A whole-number property: known (with where a parameter or mapping supplied it), the
    /// documented default where absent, unknown where it cannot be resolved.
    func int(_ path: [String], default defaultValue: Int?) -> Fact<Int>? {
        fact(path, default: defaultValue, expecting: "a whole number") { Self.wholeNumber($0.trimmingWhitespace()) }
    }

    /// A whole number written as an integer or as a decimal with no fraction (`1.0`), which
    /// CloudFormation takes for an integer property.
    static func wholeNumber(_ text: String) -> Int? {
        if let integer = Int(text) { return integer }
        guard text.allSatisfy({ $0.isASCIIDigit || "+-.eE".contains($0) }), let number = Double(text),
              number == number.rounded(), abs(number) < 1e15 else { return nil }
        return Int(number)
    }

    func bool(_ path: [String], default defaultValue: Bool?) -> Fact<Bool>? {
        fact(path, default: defaultValue, expecting: "true or false") { text in
            switch text.lowercased() {
            case "true": true
            case "false": false
            default: nil
            }
        }
    }

    func string(_ path: [String], default defaultValue: String?) -> Fact<String>? {
        fact(path, default: defaultValue, expecting: "text") { $0 }
    }

    /// A property as a fact: the default where absent (nil without one), known where its text
    /// parses, unknown otherwise.
    private func fact<Value>(_ path: [String], default defaultValue: Value?, expecting: String,
                             parse: (String) -> Value?) -> Fact<Value>? {
        let source = path.joined(separator: ".")
        guard let found = property(path) else {
            return defaultValue.map { .defaulted($0, at: location, source: source) }
        }
        let at = template.document.location(found.key)
        if let value = found.value.value.text.flatMap(parse) {
            return .known(value, at: at, source: source, note: found.value.note)
        }
        return .unknown(at: at, source: source, reason: found.value.value.unknownReason ?? "it is not \(expecting)")
    }

    func boolAttribute(_ list: String, _ key: String) -> Fact<Bool>? {
        for item in resource.properties?[list]?.items ?? [] {
            guard let keyNode = item["Key"], template.evaluate(keyNode).value.text == key,
                  let valueEntry = item.entry("Value") else { continue }
            let resolved = template.evaluate(valueEntry.value)
            let at = template.document.location(valueEntry.key)
            let source = "\(list) \(key)"
            switch resolved.value.text?.lowercased() {
            case "true": return .known(true, at: at, source: source, note: resolved.note)
            case "false": return .known(false, at: at, source: source, note: resolved.note)
            default: return .unknown(at: at, source: source, reason: resolved.value.unknownReason ?? "not true or false")
            }
        }
        return nil
    }

    func zoneNames(_ path: [String]) -> Fact<[String]>? {
        zones(path, zoneOf: Self.zoneName)
    }

    /// The zones a list property resolves to, each item's through `zoneOf` (a zone name, or a
    /// subnet's zone). Known when every item resolves; when some do not but two distinct zones
    /// are already known, those are enough to say the resource is not confined to one zone.
    /// `visit` sees each item, with where the list is written.
    func zones(_ path: [String], zoneOf: (Template.Value) -> Result<String, Unresolved>,
               visit: (Template.Value, SourceLocation) -> Void = { _, _ in }) -> Fact<[String]>? {
        guard let found = property(path) else { return nil }
        let key = path.joined(separator: ".")
        let at = template.document.location(found.key)
        var known: Set<String> = []
        var unknown: [String] = []
        let items: [Template.Value]
        switch found.value.value {
        case .list(let values): items = values
        case .zones: return nil // every zone of the region: not confined
        case .unknown(let reason): return .unknown(at: at, source: key, reason: reason)
        case let single: items = [single]
        }
        for item in items {
            visit(item, at)
            switch zoneOf(item) {
            case .success(let zone): known.insert(zone)
            case .failure(let reason): unknown.append(reason.message)
            }
        }
        if unknown.isEmpty || known.count >= 2 {
            return .known(known.sorted(), at: at, source: key, note: found.value.note)
        }
        return .unknown(at: at, source: key, reason: unknown.joined(separator: "; "))
    }

    struct Unresolved: Error {
        var message: String
    }

    static func zoneName(_ value: Template.Value) -> Result<String, Unresolved> {
        switch value {
        case .text(let name): .success(name)
        case .zone(let index): .success("zone #\(index) of Fn::GetAZs")
        case .element(let parameter, let index): .success("zone #\(index) of parameter \(parameter)")
        case .unknown(let reason): .failure(Unresolved(message: reason))
        default: .failure(Unresolved(message: "a zone that cannot be resolved"))
        }
    }
}
