import Foundation
import HAAuditModel
import HAAuditReaders

/// One step of a path into values: a map key or a list index (`image.tag`, `hosts[0]`).
public enum ValuePathComponent: Hashable, Sendable, CustomStringConvertible {
    case key(String)
    case index(Int)

    public var description: String {
        switch self {
        case .key(let key): key
        case .index(let index): "[\(index)]"
        }
    }
}

public typealias ValuePath = [ValuePathComponent]

/// Where each scalar of a values tree was written: a values file's line, or a `--set` entry.
public typealias ValueOrigins = [ValuePath: SourceLocation]

/// Values as Helm reads them, with where each came from.
public struct PositionedValues: Sendable, Equatable {
    public var values: [String: TemplateValue]
    public var origins: ValueOrigins

    public init(values: [String: TemplateValue] = [:], origins: ValueOrigins = [:]) {
        self.values = values
        self.origins = origins
    }
}

public struct ValuesError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public var location: SourceLocation?
    public init(_ message: String, at location: SourceLocation? = nil) {
        self.message = message
        self.location = location
    }
    public var description: String { location.map { "\($0.description): \(message)" } ?? message }
}

/// Reads values files the way Helm does: YAML through sigs.k8s.io/yaml, that is go-yaml v2's
/// YAML 1.1 typing of plain scalars and then a trip through JSON, so every number is a float64,
/// `yes`/`on` are booleans and map keys are strings.
public enum ValuesReader {
    /// A values file; an empty file (or one of comments) is an empty map, as in Helm.
    public static func read(_ bytes: [UInt8], path: String) throws(ValuesError) -> PositionedValues {
        let documents: [Node]
        do {
            documents = try DocumentSyntax.yaml.reader().read(bytes)
        } catch {
            throw ValuesError(error.message, at: SourceLocation(path: path, error.position))
        }
        // sigs.k8s.io/yaml reads the first document only.
        guard let root = documents.first, !root.isNull else { return PositionedValues() }
        guard root.isMapping else {
            throw ValuesError("values must be a map, not \(kindWord(root))", at: SourceLocation(path: path, root.position))
        }
        var origins: ValueOrigins = [:]
        let value = convert(root, path: [], file: path, origins: &origins)
        guard case .map(let entries, _) = value else { return PositionedValues() }
        return PositionedValues(values: entries, origins: origins)
    }

    /// YAML text to a value without origins (`fromYaml`, the suites' `user_values_yaml`).
    public static func value(fromYAML text: String) throws(ValuesError) -> TemplateValue {
        let documents: [Node]
        do {
            documents = try DocumentSyntax.yaml.reader().read(Array(text.utf8))
        } catch {
            throw ValuesError(goYAMLMessage(error))
        }
        guard let root = documents.first else { return .null }
        var origins: ValueOrigins = [:]
        return convert(root, path: [], file: "", origins: &origins)
    }

    /// A libyaml error as go-yaml words it: `yaml: line N: problem`, without libyaml's context,
    /// and with go-yaml's line (one less for parser errors, which go-yaml reports 0-based).
    private static func goYAMLMessage(_ error: ReadError) -> String {
        var problem = error.message
        if problem.hasPrefix("YAML syntax error: ") { problem.removeFirst("YAML syntax error: ".count) }
        if let context = problem.range(of: " while ") { problem = String(problem[..<context.lowerBound]) }
        let line = problem.hasPrefix("did not find expected") ? error.position.line - 1 : error.position.line
        return line > 0 ? "yaml: line \(line): \(problem)" : "yaml: \(problem)"
    }

    private static func kindWord(_ node: Node) -> String {
        node.isSequence ? "a list" : "a scalar"
    }

    private static func convert(_ node: Node, path: ValuePath, file: String, origins: inout ValueOrigins) -> TemplateValue {
        if node.isMapping {
            var entries: [String: TemplateValue] = [:]
            // A repeated key: the last one wins, as when the JSON is decoded.
            for entry in node.entries {
                let key = keyText(entry.key)
                entries[key] = convert(entry.value, path: path + [.key(key)], file: file, origins: &origins)
            }
            return .map(entries)
        }
        if node.isSequence {
            return .list(node.items.enumerated().map { convert($1, path: path + [.index($0)], file: file, origins: &origins) })
        }
        if !file.isEmpty { origins[path] = SourceLocation(path: file, node.position) }
        guard case .scalar(let text, let style) = node.content else { return .null }
        return style == .quoted || node.tag != nil ? .string(text) : resolvePlain(text)
    }

    /// A map key as JSON gets it: booleans and numbers turned back into their Go text.
    private static func keyText(_ node: Node) -> String {
        guard case .scalar(let text, .plain) = node.content else { return node.scalar ?? "" }
        switch resolvePlain(text) {
        case .bool(let value): return String(value)
        case .float(let value, _) where value == value.rounded() && abs(value) < 1e15: return String(Int64(value))
        default: return text
        }
    }

    /// go-yaml v2's typing of a plain scalar (its `resolve`), then JSON's: integers become
    /// float64. Timestamps stay strings (v2 keeps them so when decoding into interface{}).
    static func resolvePlain(_ text: String) -> TemplateValue {
        switch text {
        case "", "~", "null", "Null", "NULL": return .null
        case "y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON": return .bool(true)
        case "n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF": return .bool(false)
        case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF": return .float(.infinity)
        case "-.inf", "-.Inf", "-.INF": return .float(-.infinity)
        case ".nan", ".NaN", ".NAN": return .float(.nan)
        default: break
        }
        guard let first = text.first, first.isASCIIDigit || first == "-" || first == "+" || first == "." else {
            return .string(text)
        }
        return number(text).map { .float($0) } ?? .string(text)
    }

    /// go-yaml's number attempts on the text without its `_`s: `ParseInt(s, 0, 64)` (decimal,
    /// `0x`, `0o`, `0b`, leading-`0` octal), then `ParseUint`, then `ParseFloat` (so `09` is 9.0).
    private static func number(_ text: String) -> Double? {
        let digits = text.filter { $0 != "_" }
        if let integer = GoNumber.parseInt(digits) { return Double(integer) }
        if let unsigned = GoNumber.parseUint(digits) { return Double(unsigned) }
        return GoNumber.parseFloat(digits)
    }
}
