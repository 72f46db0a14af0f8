import HAAuditFrontends
import HAAuditModel
import HAAuditReaders
import HAAuditRules

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `.haaudit.yaml`: a repository's standing choices, found by walking up from the working
/// directory (or named with `--config`). Command-line options win over it.
public struct Configuration: Sendable {
    /// An ignore of the configuration file: findings of `rule` (or `all`) in files matching
    /// `path`, on components matching `component`, suppressed with `reason` until `expires`.
    public struct Ignore: Sendable {
        public var rule: String
        var path: Glob?
        var component: Glob?
        public var reason: String?
        /// `YYYY-MM-DD`; from that day on the ignore no longer applies.
        public var expires: String?
        public var location: SourceLocation
    }

    /// An explicit group of files (`contexts:`): objects link only within the contexts that
    /// hold them.
    public struct Context: Sendable {
        public var name: String
        var paths: [Glob]
    }

    public static let fileNames = [".haaudit.yaml", ".haaudit.yml"]

    public var path: String?
    public var policy: String?
    /// The `rules:` overrides, applied on top of the policy.
    var ruleOverrides: Node?
    var exclude: [Glob] = []
    public var ignores: [Ignore] = []
    public var profiles: [String] = []
    public var failOn: String?
    public var minScore: Int?
    /// Whether a run that audits no component is an error (`failIfEmpty: true`).
    public var failIfEmpty = false
    public var contexts: [Context] = []
    /// `helm:`: how charts are rendered (DESIGN section 12).
    public var helm = HelmSettings()

    public init() {}

    /// The nearest configuration file at or above `directory`.
    public static func discover(from directory: String = Discovery.workingDirectory()) -> String? {
        var current = directory
        while true {
            for name in fileNames {
                let candidate = (current == "/" ? "" : current) + "/" + name
                var info = stat()
                if stat(candidate, &info) == 0, info.st_mode & S_IFMT == S_IFREG { return candidate }
            }
            guard current != "/", !current.isEmpty else { return nil }
            current = PathParts.directory(current)
            if current.isEmpty { current = "/" }
        }
    }

    public static func load(_ path: String) throws(PolicyError) -> Configuration {
        let bytes = try YAMLFile.bytes(path, maxBytes: 1 << 20, what: "the configuration")
        let root = try YAMLFile.root(bytes, path: path, expecting: "the configuration is a YAML mapping")
        func fail(_ message: String, _ node: Node) -> PolicyError {
            PolicyError(message: message, location: SourceLocation(path: path, node.position))
        }
        var configuration = Configuration()
        configuration.path = path
        for entry in root.entries {
            switch entry.key.scalar {
            case "policy":
                guard let name = entry.value.string else { throw fail("policy names a built-in policy or a policy file", entry.value) }
                configuration.policy = YAMLFile.resolve(name, relativeTo: path)
            case "rules":
                configuration.ruleOverrides = entry.value
            case "exclude":
                configuration.exclude = try strings(entry.value, "exclude", fail: fail).map(Glob.init)
            case "profiles":
                configuration.profiles = try strings(entry.value, "profiles", fail: fail)
            case "failOn":
                guard let value = entry.value.string, value == "none" || Severity(rawValue: value) != nil else {
                    throw fail("failOn is info, low, medium, high, critical or none", entry.value)
                }
                configuration.failOn = value
            case "minScore":
                guard let value = entry.value.int else { throw fail("minScore is a whole number", entry.value) }
                configuration.minScore = value
            case "failIfEmpty":
                guard let value = entry.value.bool else { throw fail("failIfEmpty is true or false", entry.value) }
                configuration.failIfEmpty = value
            case "ignore":
                configuration.ignores = try entry.value.items.map { item throws(PolicyError) in try ignore(item, path: path, fail: fail) }
            case "contexts":
                guard entry.value.isSequence else { throw fail("contexts is a list", entry.value) }
                configuration.contexts = try entry.value.items.map { item throws(PolicyError) in try context(item, fail: fail) }
            case "helm":
                configuration.helm = try HelmSettings.read(entry.value, configurationPath: path, fail: fail)
            default:
                throw fail("unknown configuration key '\(entry.key.scalar ?? "")' (expected policy, rules, exclude, ignore, profiles, failOn, minScore, failIfEmpty, contexts, helm)", entry.key)
            }
        }
        return configuration
    }

    private static func strings(_ node: Node, _ key: String, fail: (String, Node) -> PolicyError) throws(PolicyError) -> [String] {
        guard node.isSequence else { throw fail("\(key) is a list", node) }
        var values: [String] = []
        for item in node.items {
            guard let value = item.string else { throw fail("\(key) holds text", item) }
            values.append(value)
        }
        return values
    }

    private static func ignore(_ item: Node, path: String, fail: (String, Node) -> PolicyError) throws(PolicyError) -> Ignore {
        guard item.isMapping else { throw fail("an ignore is a mapping with rule, path, component, reason, expires", item) }
        var ignore = Ignore(rule: "", location: SourceLocation(path: path, item.position))
        for field in item.entries {
            guard let value = field.value.string else { throw fail("\(field.key.scalar ?? "the value") is text", field.value) }
            switch field.key.scalar {
            case "rule":
                if value == "all" {
                    ignore.rule = value
                } else if let rule = RuleCatalog.rule(named: value) {
                    ignore.rule = rule.description.name
                } else {
                    throw fail("unknown rule '\(value)'; `haaudit rules` lists them", field.value)
                }
            case "path": ignore.path = Glob(value)
            case "component": ignore.component = Glob(value)
            case "reason": ignore.reason = value
            case "expires":
                guard Self.isDate(value) else { throw fail("expires is a date, YYYY-MM-DD", field.value) }
                ignore.expires = value
            default:
                throw fail("unknown ignore key '\(field.key.scalar ?? "")' (expected rule, path, component, reason, expires)", field.key)
            }
        }
        guard !ignore.rule.isEmpty else { throw fail("an ignore names its rule (or all)", item) }
        return ignore
    }

    private static func context(_ item: Node, fail: (String, Node) -> PolicyError) throws(PolicyError) -> Context {
        guard item.isMapping else { throw fail("a context is a mapping with name and paths", item) }
        var context = Context(name: "", paths: [])
        for field in item.entries {
            switch field.key.scalar {
            case "name":
                guard let name = field.value.string, !name.isEmpty else { throw fail("a context's name is text", field.value) }
                context.name = name
            case "paths":
                context.paths = try strings(field.value, "paths", fail: fail).map(Glob.init)
            default:
                throw fail("unknown context key '\(field.key.scalar ?? "")' (expected name, paths)", field.key)
            }
        }
        guard !context.name.isEmpty, !context.paths.isEmpty else { throw fail("a context has a name and paths", item) }
        return context
    }

    /// The contexts as the frontends link by them: those whose paths match a file.
    var linkContexts: LinkContexts {
        guard !contexts.isEmpty else { return .none }
        let contexts = self.contexts
        return LinkContexts(names: contexts.map(\.name)) { path in
            contexts.indices.filter { index in contexts[index].paths.contains { $0.matches(path) } }
        }
    }

    private static func isDate(_ text: String) -> Bool {
        let parts = text.split(separator: "-")
        return parts.count == 3 && parts[0].count == 4 && parts[1].count == 2 && parts[2].count == 2 && parts.allSatisfy { Int($0) != nil }
    }

    /// Today, as `YYYY-MM-DD` (UTC), for expiry dates.
    public static func today() -> String {
        var now = time(nil)
        var parts = tm()
        gmtime_r(&now, &parts)
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))"
    }

    /// The policy with this configuration's rule overrides applied.
    public func applied(to policy: Policy) throws(PolicyError) -> Policy {
        guard let ruleOverrides, let path else { return policy }
        var result = policy
        try result.apply(rules: ruleOverrides, path: path)
        return result
    }

    /// Whether `exclude:` matches a file or folder (by display path); a bare name (`templates`)
    /// matches a folder of that name anywhere.
    func excludes(_ path: String, isFolder: Bool) -> Bool {
        exclude.contains { $0.matches(path) || (isFolder && $0.matchesName(of: path)) }
    }
}
