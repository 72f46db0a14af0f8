import Foundation
import HAAuditHelm

/// JSON as the conformance files write it, before the typed-JSON convention is applied.
indirect enum RawJSON: Decodable, Sendable {
    case null, bool(Bool), number(Double), string(String), array([RawJSON]), object([String: RawJSON])

    init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null }
        else if let value = try? container.decode(Bool.self) { self = .bool(value) }
        else if let value = try? container.decode(Double.self) { self = .number(value) }
        else if let value = try? container.decode(String.self) { self = .string(value) }
        else if let value = try? container.decode([RawJSON].self) { self = .array(value) }
        else { self = .object(try container.decode([String: RawJSON].self)) }
    }

    subscript(key: String) -> RawJSON? {
        if case .object(let entries) = self { return entries[key] }
        return nil
    }

    var string: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    var bool: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    var array: [RawJSON]? {
        if case .array(let items) = self { return items }
        return nil
    }
}

/// The suite's typed-JSON convention (helm-conformance README, "Typed JSON"): plain numbers are
/// float64, `{"$int": 17}` an int, `{"$type": "[]int", "value": [...]}` a typed container.
enum TypedJSON {
    static func load(_ relativePath: String) throws -> RawJSON {
        let url = conformanceRoot.appendingPathComponent(relativePath)
        return try JSONDecoder().decode(RawJSON.self, from: Data(contentsOf: url))
    }

    /// `../shared/helm-conformance`, beside the repository.
    static let conformanceRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("../shared/helm-conformance").standardizedFileURL

    static func value(_ json: RawJSON) -> TemplateValue {
        switch json {
        case .null: return .null
        case .bool(let value): return .bool(value)
        case .number(let value): return .float(value)
        case .string(let value): return .string(value)
        case .array(let items): return .list(items.map(value))
        case .object(let entries):
            if entries.count <= 2, let (marker, payload) = entries.first(where: { $0.key.hasPrefix("$") }) {
                return typed(marker, payload, entries)
            }
            return .map(entries.mapValues(value))
        }
    }

    private static func typed(_ marker: String, _ payload: RawJSON, _ entries: [String: RawJSON]) -> TemplateValue {
        switch marker {
        case "$int", "$int8", "$int16", "$int32", "$int64":
            return .int(integer(payload), TemplateValue.IntType(rawValue: String(marker.dropFirst()))!)
        case "$uint", "$uint8", "$uint16", "$uint32", "$uint64", "$uintptr":
            return .uint(unsigned(payload), TemplateValue.UIntType(rawValue: String(marker.dropFirst()))!)
        case "$float64", "$float32":
            return .float(float(payload), isFloat32: marker == "$float32")
        case "$duration":
            return .duration(integer(payload))
        case "$time":
            let zone = entries["zone"]?.string ?? "UTC"
            let date = ISO8601DateFormatter().date(from: payload.string ?? "") ?? Date(timeIntervalSince1970: 0)
            let seconds = date.timeIntervalSince1970
            return .time(seconds: Int64(seconds.rounded(.down)), nanoseconds: 0, zone: .init(name: zone, offsetSeconds: 0))
        case "$type":
            return container(payload.string ?? "", entries["value"] ?? .null)
        default:
            return .map(entries.mapValues(value))
        }
    }

    /// `[]T`, `[N]T`, `map[string]T`, `map[int]T`: elements read as the element type.
    static func container(_ type: String, _ json: RawJSON) -> TemplateValue {
        if type.hasPrefix("map[") {
            let close = type.firstIndex(of: "]")!
            let key = String(type[type.index(type.startIndex, offsetBy: 4)..<close])
            let elementType = String(type[type.index(after: close)...])
            guard case .object(let entries) = json else { return .map([:], type: .init(key: key, element: elementType)) }
            return .map(entries.mapValues { element(elementType, $0) }, type: .init(key: key, element: elementType))
        }
        let close = type.firstIndex(of: "]")!
        let length = Int(type[type.index(after: type.startIndex)..<close])
        let elementType = String(type[type.index(after: close)...])
        let items = json.array ?? []
        return .list(items.map { element(elementType, $0) }, type: .init(element: elementType, arrayLength: length))
    }

    private static func element(_ type: String, _ json: RawJSON) -> TemplateValue {
        if type.hasPrefix("[") || type.hasPrefix("map[") { return container(type, json) }
        if let intType = TemplateValue.IntType(rawValue: type) { return .int(integer(json), intType) }
        if let uintType = TemplateValue.UIntType(rawValue: type) { return .uint(unsigned(json), uintType) }
        if type == "float64" || type == "float32" { return .float(float(json), isFloat32: type == "float32") }
        return value(json)
    }

    private static func integer(_ json: RawJSON) -> Int64 {
        switch json {
        case .number(let value): Int64(value)
        case .string(let text): Int64(text) ?? 0
        default: 0
        }
    }

    private static func unsigned(_ json: RawJSON) -> UInt64 {
        switch json {
        case .number(let value): UInt64(value)
        case .string(let text): UInt64(text) ?? 0
        default: 0
        }
    }

    private static func float(_ json: RawJSON) -> Double {
        switch json {
        case .number(let value): value
        case .string("NaN"): .nan
        case .string("+Inf"): .infinity
        case .string("-Inf"): -.infinity
        case .string(let text): Double(text) ?? 0
        default: 0
        }
    }
}
