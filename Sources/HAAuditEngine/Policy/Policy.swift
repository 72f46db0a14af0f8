import HAAuditModel
import HAAuditReaders
import HAAuditRules

/// Which rules run, at what severity and with which parameters, and how findings weigh in the
/// score. Built-in packs live in `policies/` and are embedded in the binary.
public struct Policy: Sendable {
    public struct RuleSetting: Sendable {
        public var severity: Severity
        public var parameters: [String: Int]
    }

    public var name: String
    /// The enabled rules, by name.
    public var rules: [String: RuleSetting]
    public var weights: [Severity: Int]

    public static let defaultWeights: [Severity: Int] = [.critical: 40, .high: 20, .medium: 8, .low: 3, .info: 0]

    public static var builtinNames: [String] { BuiltinPolicies.sources.keys.sorted() }

    /// The enabled rules' descriptions, in catalog order: what a SARIF run lists as having run.
    public var enabledRules: [RuleDescription] {
        RuleCatalog.all.map(\.description).filter { rules[$0.name] != nil }
    }

    /// A built-in pack by name, or a policy file by path.
    public static func load(_ nameOrPath: String) throws(PolicyError) -> Policy {
        try load(nameOrPath, depth: 0)
    }

    private static func load(_ nameOrPath: String, depth: Int) throws(PolicyError) -> Policy {
        if let source = BuiltinPolicies.sources[nameOrPath] {
            return try parse(Array(source.utf8), path: "policies/\(nameOrPath).yaml", depth: depth)
        }
        let file = InputFile(displayPath: nameOrPath, openPath: nameOrPath)
        switch readBytes(of: file, maxBytes: 1 << 20) {
        case .success(let bytes):
            return try parse(bytes, path: nameOrPath, depth: depth)
        case .failure(let error):
            let known = builtinNames.joined(separator: ", ")
            throw PolicyError(message: "no built-in policy named '\(nameOrPath)' (built-in: \(known)), and the file \(error.message)",
                              location: SourceLocation(path: nameOrPath, error.position))
        }
    }

    public static func parse(_ bytes: [UInt8], path: String) throws(PolicyError) -> Policy {
        try parse(bytes, path: path, depth: 0)
    }

    private static func parse(_ bytes: [UInt8], path: String, depth: Int) throws(PolicyError) -> Policy {
        let root = try YAMLFile.root(bytes, path: path, expecting: "a policy is a YAML mapping with `rules`")
        func fail(_ message: String, _ node: Node) -> PolicyError {
            PolicyError(message: message, location: SourceLocation(path: path, node.position))
        }
        var policy = Policy(name: path, rules: [:], weights: defaultWeights)
        if let base = root.entry("extends") {
            guard let name = base.value.string else { throw fail("extends names a built-in policy or a policy file", base.value) }
            guard depth < 8 else { throw fail("policies extend each other too deeply (a cycle?)", base.value) }
            policy = try load(YAMLFile.resolve(name, relativeTo: path), depth: depth + 1)
            policy.name = path
        }
        for entry in root.entries {
            switch entry.key.scalar {
            case "name": policy.name = entry.value.string ?? policy.name
            case "description", "extends": break
            case "weights":
                for weight in entry.value.entries {
                    guard let severity = weight.key.scalar.flatMap(Severity.init(rawValue:)) else {
                        throw fail("unknown severity '\(weight.key.scalar ?? "")' in weights", weight.key)
                    }
                    guard let points = weight.value.int, points >= 0 else { throw fail("a weight is a whole number of points", weight.value) }
                    policy.weights[severity] = points
                }
            case "rules": try policy.apply(rules: entry.value, path: path)
            default:
                throw fail("unknown policy key '\(entry.key.scalar ?? "")' (expected name, description, extends, weights, rules)", entry.key)
            }
        }
        return policy
    }

    /// Applies a `rules:` mapping: each listed rule is turned on (keeping what the policy set
    /// and overriding what the entry sets), or off with `enabled: false`.
    mutating func apply(rules node: Node, path: String) throws(PolicyError) {
        func fail(_ message: String, _ node: Node) -> PolicyError {
            PolicyError(message: message, location: SourceLocation(path: path, node.position))
        }
        guard node.isMapping || node.isNull else { throw fail("rules is a mapping of rule names to settings", node) }
        for entry in node.entries {
            guard let name = entry.key.scalar, let rule = RuleCatalog.rule(named: name) else {
                throw fail("unknown rule '\(entry.key.scalar ?? "")'; `haaudit rules` lists them", entry.key)
            }
            let description = rule.description
            var setting = rules[description.name] ?? RuleSetting(severity: description.severity, parameters: [:])
            var enabled = true
            for field in entry.value.entries {
                switch field.key.scalar {
                case "enabled":
                    guard let flag = field.value.bool else { throw fail("enabled is true or false", field.value) }
                    enabled = flag
                case "severity":
                    guard let severity = field.value.string.flatMap(Severity.init(rawValue:)) else {
                        throw fail("severity is one of info, low, medium, high, critical", field.value)
                    }
                    setting.severity = severity
                case "parameters":
                    for parameter in field.value.entries {
                        guard let key = parameter.key.scalar, description.parameters.contains(where: { $0.name == key }) else {
                            let known = description.parameters.map(\.name).joined(separator: ", ")
                            throw fail("rule \(description.name) has no parameter '\(parameter.key.scalar ?? "")' (it has: \(known.isEmpty ? "none" : known))", parameter.key)
                        }
                        guard let value = parameter.value.int else { throw fail("parameter \(key) is a whole number", parameter.value) }
                        setting.parameters[key] = value
                    }
                default:
                    throw fail("unknown rule setting '\(field.key.scalar ?? "")' (expected enabled, severity, parameters)", field.key)
                }
            }
            rules[description.name] = enabled ? setting : nil
        }
    }
}

public struct PolicyError: Error, Sendable {
    public var message: String
    public var location: SourceLocation
}

/// Reading haaudit's own YAML files (policies, the configuration file).
enum YAMLFile {
    /// The bytes of one of haaudit's own files (`what` names it in the error: "the baseline").
    static func bytes(_ path: String, maxBytes: Int, what: String) throws(PolicyError) -> [UInt8] {
        switch readBytes(of: InputFile(displayPath: path, openPath: path), maxBytes: maxBytes) {
        case .success(let bytes): return bytes
        case .failure(let error): throw PolicyError(message: "cannot read \(what): \(error.message)", location: SourceLocation(path: path, error.position))
        }
    }

    static func root(_ bytes: [UInt8], path: String, expecting: String) throws(PolicyError) -> Node {
        let documents: [Node]
        do {
            documents = try YAMLReader(limits: ReaderLimits()).read(bytes)
        } catch {
            throw PolicyError(message: error.message, location: SourceLocation(path: path, error.position))
        }
        guard let root = documents.first, root.isMapping else {
            throw PolicyError(message: expecting, location: SourceLocation(path: path, line: 1, column: 1))
        }
        return root
    }

    /// A built-in policy name as it is; a file path relative to the file that names it.
    static func resolve(_ name: String, relativeTo path: String) -> String {
        if BuiltinPolicies.sources[name] != nil || name.hasPrefix("/") { return name }
        let directory = PathParts.directory(path)
        return directory.isEmpty ? name : directory + "/" + name
    }
}
