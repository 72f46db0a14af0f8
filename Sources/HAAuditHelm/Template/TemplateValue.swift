/// A value as Go's text/template sees it through `interface{}`: what Helm's values, Sprig's
/// functions and template literals produce. Go keeps the type of every value and the type changes
/// the output (`1000000` as an int prints `1000000`, as a float64 `1e+06`; `eq 2 2.0` is an
/// error), so numbers keep their Go type.
public indirect enum TemplateValue: Sendable, Equatable {
    /// A nil interface: a missing key, `nil`, an absent value.
    case null
    case bool(Bool)
    /// A signed integer of the named Go type (`int` for template literals and `len`, `int64` for
    /// Sprig's arithmetic and `--set`).
    case int(Int64, IntType)
    /// An unsigned integer of the named Go type.
    case uint(UInt64, UIntType)
    /// A float64 (every number of a values file) or, when `isFloat32`, a float32.
    case float(Double, isFloat32: Bool = false)
    case string(String)
    /// `[]interface{}`, or a typed slice or array (`[]int`, `[3]int`) when `elementType` is set.
    case list([TemplateValue], type: ListType = .interfaces)
    /// `map[string]interface{}` (or a typed map). Ranging and printing visit keys in sorted order.
    case map([String: TemplateValue], type: MapType = .interfaces)
    /// A `time.Duration`, in nanoseconds.
    case duration(Int64)
    /// A `time.Time`: seconds and nanoseconds since the Unix epoch, and the zone it is shown in.
    case time(seconds: Int64, nanoseconds: Int32, zone: TimeZoneInfo)
    /// A `[]byte` (Sprig's `randBytes`, Helm's `.Files.GetBytes`).
    case bytes([UInt8])

    public enum IntType: String, Sendable { case int, int8, int16, int32, int64 }
    public enum UIntType: String, Sendable { case uint, uint8, uint16, uint32, uint64, uintptr }

    /// The Go type of a list: `[]interface {}` unless typed.
    public struct ListType: Sendable, Equatable {
        /// The element type as Go prints it (`int`, `string`, `interface {}`).
        public var element: String
        /// An array's length (`[3]int`); nil for a slice.
        public var arrayLength: Int?
        public static let interfaces = ListType(element: "interface {}", arrayLength: nil)
        public static let strings = ListType(element: "string", arrayLength: nil)
        public init(element: String, arrayLength: Int?) {
            self.element = element
            self.arrayLength = arrayLength
        }
        public var goName: String { "[\(arrayLength.map(String.init) ?? "")]\(element)" }
    }

    /// The Go type of a map: `map[string]interface {}` unless typed.
    public struct MapType: Sendable, Equatable {
        public var key: String
        public var element: String
        public static let interfaces = MapType(key: "string", element: "interface {}")
        public init(key: String, element: String) {
            self.key = key
            self.element = element
        }
        public var goName: String { "map[\(key)]\(element)" }
    }

    /// A time zone as Go's `time.Location` shows it: a name and a fixed offset (zones with rules
    /// are resolved to the offset at the instant when the value is made).
    public struct TimeZoneInfo: Sendable, Equatable {
        public var name: String
        public var offsetSeconds: Int
        public init(name: String, offsetSeconds: Int) {
            self.name = name
            self.offsetSeconds = offsetSeconds
        }
        public static let utc = TimeZoneInfo(name: "UTC", offsetSeconds: 0)
    }
}

extension TemplateValue {
    /// Go's `reflect.Kind` name (Sprig's `kindOf`): `int`, `float64`, `string`, `slice`, `map`, ...
    public var kindName: String {
        switch self {
        case .null: "invalid"
        case .bool: "bool"
        case .int(_, let type): type.rawValue
        case .uint(_, let type): type.rawValue
        case .float(_, let isFloat32): isFloat32 ? "float32" : "float64"
        case .string: "string"
        case .list(_, let type): type.arrayLength == nil ? "slice" : "array"
        case .map: "map"
        case .duration: "int64"
        case .time: "struct"
        case .bytes: "slice"
        }
    }

    /// Go's type name as `%T` prints it (Sprig's `typeOf`): `int`, `[]interface {}`,
    /// `map[string]interface {}`, `time.Duration`, `<nil>`.
    public var typeName: String {
        switch self {
        case .null: "<nil>"
        case .list(_, let type): type.goName
        case .map(_, let type): type.goName
        case .duration: "time.Duration"
        case .time: "time.Time"
        case .bytes: "[]uint8"
        default: kindName
        }
    }

    /// Go's truth (`if`, `and`, `or`, `not`, `with`): false for the zero value of the type, an
    /// empty list or map, and nil.
    public var isTruthy: Bool {
        switch self {
        case .null: false
        case .bool(let value): value
        case .int(let value, _): value != 0
        case .uint(let value, _): value != 0
        case .float(let value, _): value != 0
        case .string(let value): !value.isEmpty
        case .list(let items, let type): type.arrayLength.map { $0 > 0 } ?? !items.isEmpty
        case .map(let entries, _): !entries.isEmpty
        case .duration(let value): value != 0
        case .time: true
        case .bytes(let bytes): !bytes.isEmpty
        }
    }

    /// A map's keys in the order `range` and printing visit them.
    public static func sortedKeys(_ entries: [String: TemplateValue]) -> [String] {
        entries.keys.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
    }
}
