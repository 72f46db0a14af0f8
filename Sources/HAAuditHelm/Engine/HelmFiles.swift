import Foundation

/// `.Files` (Helm's `files`, a `map[string][]byte` with methods) and the `.Capabilities`
/// version set's `Has`. Both are plain values whose Go type names key their methods in
/// `TemplateSet.methods`: `.Files.author` still indexes the map, `.Files.Get "x"` calls.
enum HelmFiles {
    /// The map type `.Files` and `Glob` results carry.
    static let type = TemplateValue.MapType(key: "string", element: "[]uint8")
    /// Patterns with more `{a,b}` alternatives than this are refused (each is matched apart).
    static let maxGlobAlternatives = 256

    static func value(_ files: [ChartFile]) -> TemplateValue {
        var entries: [String: TemplateValue] = [:]
        for file in files { entries[file.name] = .bytes(file.data) }
        return .map(entries, type: type)
    }

    static var methods: TemplateFunctions {
        let files = type.goName
        return [
            "\(files).Get": TemplateFunction(arity: .exactly(1)) { arguments throws(TemplateError) in
                let name = try HelmEngineFunctions.string(arguments[1])
                guard case .bytes(let data) = entries(arguments[0])[name] ?? .null else { return .string("") }
                return .string(String(decoding: data, as: UTF8.self))
            },
            "\(files).GetBytes": TemplateFunction(arity: .exactly(1)) { arguments throws(TemplateError) in
                let name = try HelmEngineFunctions.string(arguments[1])
                return entries(arguments[0])[name] ?? .bytes([])
            },
            "\(files).Glob": TemplateFunction(arity: .exactly(1)) { arguments throws(TemplateError) in
                let pattern = try HelmEngineFunctions.string(arguments[1])
                let alternatives = try GlobPattern.expandBraces(pattern, limit: maxGlobAlternatives)
                let matched = entries(arguments[0]).filter { name, _ in
                    alternatives.contains { GlobPattern.matches(Array($0.utf8), Array(name.utf8), separator: UInt8(ascii: "/")) }
                }
                return .map(matched, type: type)
            },
            "\(files).AsConfig": TemplateFunction(arity: .exactly(0)) { arguments throws(TemplateError) in
                try asYAML(arguments[0]) { .string(String(decoding: $0, as: UTF8.self)) }
            },
            "\(files).AsSecrets": TemplateFunction(arity: .exactly(0)) { arguments throws(TemplateError) in
                try asYAML(arguments[0]) { .string(Data($0).base64EncodedString()) }
            },
            "\(files).Lines": TemplateFunction(arity: .exactly(1)) { arguments throws(TemplateError) in
                let name = try HelmEngineFunctions.string(arguments[1])
                guard case .bytes(let data) = entries(arguments[0])[name] ?? .null, !data.isEmpty else { return .list([], type: .strings) }
                var text = String(decoding: data, as: UTF8.self)
                if text.hasSuffix("\n") { text.removeLast() }
                return .list(text.split(separator: "\n", omittingEmptySubsequences: false).map { .string(String($0)) }, type: .strings)
            },
            // `.Capabilities.APIVersions.Has "apps/v1"`.
            "[]string.Has": TemplateFunction(arity: .exactly(1)) { arguments throws(TemplateError) in
                let version = try HelmEngineFunctions.string(arguments[1])
                guard case .list(let items, _) = arguments[0] else { return .bool(false) }
                return .bool(items.contains(.string(version)))
            },
        ]
    }

    private static func entries(_ value: TemplateValue) -> [String: TemplateValue] {
        if case .map(let entries, _) = value { return entries }
        return [:]
    }

    /// `AsConfig`/`AsSecrets`: each file under its base name, as YAML without the final newline.
    private static func asYAML(_ files: TemplateValue, _ encode: ([UInt8]) -> TemplateValue) throws(TemplateError) -> TemplateValue {
        var map: [String: TemplateValue] = [:]
        for (name, value) in entries(files) {
            guard case .bytes(let data) = value else { continue }
            map[HelmRenderer.baseName(name)] = encode(data)
        }
        guard !map.isEmpty else { return .string("") }
        var yaml = try HelmYAML.marshal(.map(map))
        if yaml.hasSuffix("\n") { yaml.removeLast() }
        return .string(yaml)
    }
}

/// Glob patterns as Helm's `Files.Glob` (gobwas/glob with `/` as separator) and `--show-only`
/// read them: `*` any run without a separator, `**` any run, `?` one non-separator byte,
/// `[abc]`/`[!a-z]` a class, `{a,b}` alternatives.
enum GlobPattern {
    /// Alternatives of `{a,b}` groups, expanded (nested groups included).
    static func expandBraces(_ pattern: String, limit: Int) throws(TemplateError) -> [String] {
        let characters = Array(pattern)
        guard let open = characters.firstIndex(of: "{") else { return [pattern] }
        var depth = 0
        var parts: [String] = []
        var start = open + 1
        for index in open..<characters.count {
            switch characters[index] {
            case "{": depth += 1
            case "}":
                depth -= 1
                if depth == 0 {
                    parts.append(String(characters[start..<index]))
                    let prefix = String(characters[..<open]), suffix = String(characters[(index + 1)...])
                    var result: [String] = []
                    for part in parts {
                        result += try expandBraces(prefix + part + suffix, limit: limit)
                        if result.count > limit { throw TemplateError("glob pattern has more than \(limit) alternatives") }
                    }
                    return result
                }
            case "," where depth == 1:
                parts.append(String(characters[start..<index]))
                start = index + 1
            default: break
            }
        }
        return [pattern]
    }

    /// Whether `name` matches `pattern` (no braces), by dynamic programming over positions so
    /// patterns with many stars stay linear in each dimension.
    static func matches(_ pattern: [UInt8], _ name: [UInt8], separator: UInt8) -> Bool {
        // reachable[j]: the pattern prefix matched so far can end at name offset j.
        var reachable = [Bool](repeating: false, count: name.count + 1)
        reachable[0] = true
        var index = 0
        while index < pattern.count {
            var next = [Bool](repeating: false, count: name.count + 1)
            let byte = pattern[index]
            if byte == UInt8(ascii: "*") {
                let isDouble = index + 1 < pattern.count && pattern[index + 1] == UInt8(ascii: "*")
                var open = false
                for offset in 0...name.count {
                    if reachable[offset] { open = true }
                    if open { next[offset] = true }
                    if offset < name.count, !isDouble, name[offset] == separator { open = false }
                }
                index += isDouble ? 2 : 1
            } else {
                var consumed = 1
                var test: (UInt8) -> Bool = { $0 == byte }
                if byte == UInt8(ascii: "?") {
                    test = { $0 != separator }
                } else if byte == UInt8(ascii: "["), let close = pattern[(index + 1)...].firstIndex(of: UInt8(ascii: "]")) {
                    var body = Array(pattern[(index + 1)..<close])
                    let negated = body.first == UInt8(ascii: "!")
                    if negated { body.removeFirst() }
                    test = { candidate in classContains(body, candidate) != negated }
                    consumed = close - index + 1
                } else if byte == UInt8(ascii: "\\"), index + 1 < pattern.count {
                    let literal = pattern[index + 1]
                    test = { $0 == literal }
                    consumed = 2
                }
                for offset in 0..<name.count where reachable[offset] && test(name[offset]) { next[offset + 1] = true }
                index += consumed
            }
            reachable = next
        }
        return reachable[name.count]
    }

    private static func classContains(_ body: [UInt8], _ byte: UInt8) -> Bool {
        var index = 0
        while index < body.count {
            if index + 2 < body.count, body[index + 1] == UInt8(ascii: "-") {
                if body[index] <= byte && byte <= body[index + 2] { return true }
                index += 3
            } else {
                if body[index] == byte { return true }
                index += 1
            }
        }
        return false
    }
}
