import HAAuditModel

/// `--set` entries as Helm parses them (pkg/strvals): `a.b=c,d[0]=x,e={x,y}`; a backslash
/// escapes the next character; values are typed (`true`/`false`, `null`, int64 integers that
/// do not start with 0, strings otherwise).
public struct SetValuesParser {
    /// Helm's bounds on list indices and key nesting (strvals `MaxIndex`, `MaxNestedNameLevel`).
    static let maxIndex = 65536
    static let maxNesting = 30

    private var characters: [Character]
    private var position = 0
    private let origin: SourceLocation
    private var origins: ValueOrigins = [:]

    private init(_ text: String, origin: SourceLocation) {
        characters = Array(text)
        self.origin = origin
    }

    /// Parses one `--set` argument into `values`; every scalar it sets gets `origin`.
    public static func parse(_ entry: String, into values: inout PositionedValues, origin: SourceLocation) throws(ValuesError) {
        var parser = SetValuesParser(entry, origin: origin)
        while parser.position < parser.characters.count {
            try parser.key(&values.values, path: [], nesting: 0)
        }
        for (path, location) in parser.origins { values.origins[path] = location }
        values.origins = values.origins.filter { values.values.contains(path: $0.key) }
    }

    private enum Stop { case end, character(Character) }

    /// Characters up to one of `stops` (consumed), with escapes resolved.
    private mutating func until(_ stops: Set<Character>) -> (text: String, stop: Stop) {
        var text = ""
        while position < characters.count {
            let character = characters[position]
            position += 1
            if character == "\\" {
                if position < characters.count {
                    text.append(characters[position])
                    position += 1
                }
                continue
            }
            if stops.contains(character) { return (text, .character(character)) }
            text.append(character)
        }
        return (text, .end)
    }

    private mutating func key(_ data: inout [String: TemplateValue], path: ValuePath, nesting: Int) throws(ValuesError) {
        let (key, stop) = until(["=", "[", ",", "."])
        switch stop {
        case .end:
            if key.isEmpty { return }
            throw ValuesError("key \"\(key)\" has no value")
        case .character(","):
            set(&data, key, .string(""))
            throw ValuesError("key \"\(key)\" has no value (cannot end with ,)")
        case .character("="):
            set(&data, key, try value(path: path + [.key(key)]))
        case .character("."):
            guard nesting + 1 <= Self.maxNesting else {
                throw ValuesError("value name nested level is greater than maximum supported nested level of \(Self.maxNesting)")
            }
            var inner = data[key]?.table ?? [:]
            try self.key(&inner, path: path + [.key(key)], nesting: nesting + 1)
            if inner.isEmpty { throw ValuesError("key map \"\(key)\" has no value") }
            set(&data, key, .map(inner))
        default:
            let index = try self.index()
            var list: [TemplateValue] = []
            if case .list(let items, _) = data[key] ?? .null { list = items }
            try listItem(&list, index, path: path + [.key(key)], nesting: nesting)
            set(&data, key, .list(list))
        }
    }

    /// A value after `=`: `{a,b}` is a list, anything else one typed scalar up to `,`.
    private mutating func value(path: ValuePath) throws(ValuesError) -> TemplateValue {
        guard position < characters.count else { return .string("") }
        if characters[position] == "{" {
            position += 1
            var items: [TemplateValue] = []
            while true {
                let (text, stop) = until([",", "}"])
                switch stop {
                case .end: throw ValuesError("list must terminate with '}'")
                case .character("}"):
                    if position < characters.count, characters[position] == "," { position += 1 }
                    items.append(Self.typed(text))
                    for index in items.indices { origins[path + [.index(index)]] = origin }
                    return .list(items)
                default:
                    items.append(Self.typed(text))
                }
            }
        }
        origins[path] = origin
        return Self.typed(until([","]).text)
    }

    private mutating func index() throws(ValuesError) -> Int {
        let (text, stop) = until(["]"])
        guard case .character = stop else { throw ValuesError("error parsing index: missing ']'") }
        guard let index = Int(text) else { throw ValuesError("error parsing index: strconv.Atoi: parsing \"\(text)\": invalid syntax") }
        guard index >= 0 else { throw ValuesError("negative \(index) index not allowed") }
        guard index <= Self.maxIndex else {
            throw ValuesError("index of \(index) is greater than maximum supported index of \(Self.maxIndex)")
        }
        return index
    }

    private mutating func listItem(_ list: inout [TemplateValue], _ index: Int, path: ValuePath, nesting: Int) throws(ValuesError) {
        let (text, stop) = until(["[", ".", "="])
        guard text.isEmpty else { throw ValuesError("unexpected data at end of array index: \"\(text)\"") }
        while list.count <= index { list.append(.null) }
        let itemPath = path + [.index(index)]
        switch stop {
        case .character("="):
            list[index] = try value(path: itemPath)
        case .character("["):
            let next = try self.index()
            var inner: [TemplateValue] = []
            if case .list(let items, _) = list[index] { inner = items }
            try listItem(&inner, next, path: itemPath, nesting: nesting)
            list[index] = .list(inner)
        case .character("."):
            var inner = list[index].table ?? [:]
            try key(&inner, path: itemPath, nesting: nesting)
            list[index] = .map(inner)
        default:
            throw ValuesError("parse error: unexpected end of --set entry")
        }
    }

    private func set(_ data: inout [String: TemplateValue], _ key: String, _ value: TemplateValue) {
        guard !key.isEmpty else { return }
        data[key] = value
    }

    /// strvals' `typedVal`: booleans and null in any case, int64 when the digits do not start
    /// with 0 (so `0123` stays a string), `0` itself; otherwise the text.
    static func typed(_ text: String) -> TemplateValue {
        switch text.lowercased() {
        case "true": return .bool(true)
        case "false": return .bool(false)
        case "null": return .null
        case "0": return .int(0, .int64)
        default: break
        }
        if text.first != "0", let number = Int64(text) { return .int(number, .int64) }
        return .string(text)
    }
}

extension Dictionary where Key == String, Value == TemplateValue {
    /// Whether a scalar (or an empty container) sits at `path`.
    func contains(path: ValuePath) -> Bool {
        var current: TemplateValue = .map(self)
        for component in path {
            switch (component, current) {
            case (.key(let key), .map(let entries, _)):
                guard let next = entries[key] else { return false }
                current = next
            case (.index(let index), .list(let items, _)):
                guard index < items.count else { return false }
                current = items[index]
            default:
                return false
            }
        }
        return true
    }
}
