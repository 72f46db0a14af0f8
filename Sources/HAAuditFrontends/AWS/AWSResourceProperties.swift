import HAAuditModel

/// What AWS semantics read of a resource, whatever syntax declared it: a CloudFormation template
/// today, a Terraform configuration tomorrow. Properties are named as AWS's resource
/// specification names them (`BackupRetentionPeriod`), a nested one by its path of keys; an
/// implementation maps them to its own syntax, resolves its own expressions and says how one
/// resource refers to another (`AWSValue.resource`). Everything else (facts with AWS's
/// defaults, zones, references) is read through the extension below and the AWS files.
protocol AWSResourceProperties {
    /// The name the resource is declared under, by which others refer to it (a logical ID).
    var id: String { get }
    /// The resource type, as AWS names it: `AWS::RDS::DBInstance`.
    var type: String { get }
    /// Where facts about absent properties anchor: the resource itself, or an object written
    /// inside its properties (see `objects`).
    var location: SourceLocation { get }
    /// The condition that keeps the resource from being created with the parameters' defaults
    /// (a CloudFormation `Condition` that is false); nil when it is created, or may be.
    var absentUnlessCondition: String? { get }
    /// The names of the properties written (not resolved: some may be removed by a condition).
    var propertyNames: [String] { get }
    /// A property, resolved; nil where it is not written (or removed by a condition).
    func property(_ path: [String]) -> AWSProperty?
    /// The resources named anywhere inside a property (however deep, however the name is
    /// built), each once, in the order first named; and where the property is written. The
    /// empty path names all the properties, written where the resource is.
    func resourcesNamed(in path: [String]) -> (key: SourceLocation, ids: [String])?
    /// The resources the declaring document hands on to other stacks (named in CloudFormation
    /// `Outputs`), each once.
    func resourcesHandedOn() -> [String]
    /// Another resource declared alongside this one, by the name references use.
    func resource(_ id: String) -> Self?
    /// The objects of a list property, each read as properties of its own anchored where it is
    /// written, and where the list is written; nil where it is not written.
    func objects(_ path: [String]) -> (key: SourceLocation, items: [Self])?
    /// An object property, read as properties of its own anchored at its key.
    func object(_ path: [String]) -> Self?
}

/// A property's resolved value and where it is written.
struct AWSProperty {
    var value: AWSValue
    /// The property's key.
    var key: SourceLocation
    /// The value itself.
    var valueLocation: SourceLocation
    /// Where the value came from when it was not written in place (a parameter's default).
    var note: String?
}

/// A property's value as AWS semantics read it, once the syntax that wrote it is resolved.
/// Strings, numbers and booleans are all text.
indirect enum AWSValue {
    case text(String)
    case list([AWSValue])
    /// An object written in place (a `SubnetMappings` entry): its fields, resolved.
    case object(field: (String) -> AWSValue?)
    /// A resource declared alongside, and the attribute read of it (nil: the resource itself).
    case resource(String, attribute: String?)
    /// A zone told apart from every other but not named ("zone #1 of Fn::GetAZs").
    case unnamedZone(String)
    /// Every zone of the region.
    case everyZone
    /// Written, and resolved to nothing (`AWS::NoValue` in CloudFormation).
    case absent
    /// Text with parts known only at deploy time, those parts as `*`.
    case pattern(String)
    /// A parameter without a default that names exactly one subnet or one zone.
    case parameter(String)
    case unknown(String)

    /// Why the value is not known, when it is not.
    var unknownReason: String? {
        switch self {
        case .unknown(let reason): reason
        case .parameter(let name): "parameter \(name) has no default"
        default: nil
        }
    }

    var text: String? {
        if case .text(let text) = self { return text }
        return nil
    }

    /// The resources the value refers to, flattening lists.
    var resourceIDs: [String] {
        switch self {
        case .resource(let id, _): [id]
        case .list(let values): values.flatMap(\.resourceIDs)
        default: []
        }
    }

    /// The resource itself (not an attribute of it) the value refers to.
    var resourceID: String? {
        if case .resource(let id, nil) = self { return id }
        return nil
    }
}

/// A relationship AWS semantics find between resources declared together, by their names.
struct AWSRelationship {
    var kind: Relationship.Kind
    var from: String
    var to: String
    var at: SourceLocation
}

extension AWSResourceProperties {
    /// Whether the property is written (and not removed by a condition).
    func isSet(_ path: String...) -> Bool { property(path) != nil }

    /// The property's text, when it is written and resolves to text.
    func text(_ path: String...) -> String? { property(path)?.value.text }

    /// The property as a fact: `defaultValue` where absent (nil without one), known where it
    /// resolves to a value of its type (with where a parameter or mapping supplied it), unknown
    /// otherwise.
    func int(_ path: String..., default defaultValue: Int?) -> Fact<Int>? { int(path, default: defaultValue) }
    func bool(_ path: String..., default defaultValue: Bool?) -> Fact<Bool>? { bool(path, default: defaultValue) }
    func string(_ path: String..., default defaultValue: String?) -> Fact<String>? { string(path, default: defaultValue) }

    func int(_ path: [String], default defaultValue: Int?) -> Fact<Int>? {
        fact(path, default: defaultValue, expecting: "a whole number") { Self.wholeNumber($0.trimmingWhitespace()) }
    }

    func bool(_ path: [String], default defaultValue: Bool?) -> Fact<Bool>? {
        fact(path, default: defaultValue, expecting: "true or false", parse: Self.boolean)
    }

    func string(_ path: [String], default defaultValue: String?) -> Fact<String>? {
        fact(path, default: defaultValue, expecting: "text") { $0 }
    }

    /// A whole number written as an integer or as a decimal with no fraction (`1.0`), which
    /// AWS takes for an integer property.
    static func wholeNumber(_ text: String) -> Int? {
        if let integer = Int(text) { return integer }
        guard text.allSatisfy({ $0.isASCIIDigit || "+-.eE".contains($0) }), let number = Double(text),
              number == number.rounded(), abs(number) < 1e15 else { return nil }
        return Int(number)
    }

    private static func boolean(_ text: String) -> Bool? {
        switch text.lowercased() {
        case "true": true
        case "false": false
        default: nil
        }
    }

    private func fact<Value>(_ path: [String], default defaultValue: Value?, expecting: String,
                             parse: (String) -> Value?) -> Fact<Value>? {
        let source = path.joined(separator: ".")
        guard let found = property(path) else {
            return defaultValue.map { .defaulted($0, at: location, source: source) }
        }
        if let value = found.value.text.flatMap(parse) {
            return .known(value, at: found.key, source: source, note: found.note)
        }
        return .unknown(at: found.key, source: source, reason: Self.reason(found.value, otherwise: "it is not \(expecting)"))
    }

    /// An entry of a list of `Key`/`Value` attributes (`LoadBalancerAttributes`), as a boolean
    /// fact; nil where the list has no such key.
    func boolAttribute(_ list: String, _ key: String) -> Fact<Bool>? {
        for item in objects([list])?.items ?? [] {
            guard item.text("Key") == key, let found = item.property(["Value"]) else { continue }
            let source = "\(list) \(key)"
            if let value = found.value.text.flatMap(Self.boolean) {
                return .known(value, at: found.key, source: source, note: found.note)
            }
            return .unknown(at: found.key, source: source, reason: Self.reason(found.value, otherwise: "not true or false"))
        }
        return nil
    }

    /// Why a value is not what was expected: its own reason when it is unknown.
    private static func reason(_ value: AWSValue, otherwise: String) -> String {
        value.unknownReason ?? otherwise
    }
}
