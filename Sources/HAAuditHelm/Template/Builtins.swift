/// Go text/template's builtin functions (text/template/funcs.go).
enum Builtins {
    struct Builtin: Sendable {
        var arity: TemplateFunction.Arity
        /// Parameter kinds in order; the last repeats for variadic functions.
        var parameters: [TemplateExecutor.ParameterKind]
        var call: @Sendable ([TemplateValue]) throws(TemplateError) -> TemplateValue

        func parameter(_ index: Int) -> TemplateExecutor.ParameterKind {
            parameters[min(index, parameters.count - 1)]
        }
    }

    static let names: Set<String> = Set(table.keys)

    static let table: [String: Builtin] = [
        // and/or are evaluated by the executor (short-circuit); the entries give their arity.
        "and": Builtin(arity: .atLeast(1), parameters: [.value]) { $0.last ?? .null },
        "or": Builtin(arity: .atLeast(1), parameters: [.value]) { $0.last ?? .null },
        "not": Builtin(arity: .exactly(1), parameters: [.value]) { .bool(!$0[0].isTruthy) },
        "call": Builtin(arity: .atLeast(1), parameters: [.value, .any]) { arguments throws(TemplateError) in
            if case .null = arguments[0] { throw TemplateError("call of nil") }
            throw TemplateError("non-function of type \(arguments[0].typeName)")
        },
        "html": Builtin(arity: .atLeast(0), parameters: [.any]) { .string(htmlEscape(evalArgs($0))) },
        "js": Builtin(arity: .atLeast(0), parameters: [.any]) { .string(jsEscape(evalArgs($0))) },
        "urlquery": Builtin(arity: .atLeast(0), parameters: [.any]) { .string(queryEscape(evalArgs($0))) },
        "print": Builtin(arity: .atLeast(0), parameters: [.any]) { .string(GoFormat.sprint($0)) },
        "println": Builtin(arity: .atLeast(0), parameters: [.any]) { .string(GoFormat.sprintln($0)) },
        "printf": Builtin(arity: .atLeast(1), parameters: [.string, .any]) { arguments in
            guard case .string(let format) = arguments[0] else { return .null }
            return .string(GoFormat.sprintf(format, Array(arguments.dropFirst())))
        },
        "len": Builtin(arity: .exactly(1), parameters: [.value]) { arguments throws(TemplateError) in .int(Int64(try length(arguments[0])), .int) },
        "index": Builtin(arity: .atLeast(1), parameters: [.value]) { arguments throws(TemplateError) in try index(arguments[0], Array(arguments.dropFirst())) },
        "slice": Builtin(arity: .atLeast(1), parameters: [.value]) { arguments throws(TemplateError) in try slice(arguments[0], Array(arguments.dropFirst())) },
        "eq": Builtin(arity: .atLeast(1), parameters: [.value]) { arguments throws(TemplateError) in .bool(try equal(arguments[0], Array(arguments.dropFirst()))) },
        "ne": Builtin(arity: .exactly(2), parameters: [.value]) { arguments throws(TemplateError) in .bool(!(try equal(arguments[0], [arguments[1]]))) },
        "lt": Builtin(arity: .exactly(2), parameters: [.value]) { arguments throws(TemplateError) in .bool(try less(arguments[0], arguments[1])) },
        "le": Builtin(arity: .exactly(2), parameters: [.value]) { arguments throws(TemplateError) in .bool(try lessOrEqual(arguments[0], arguments[1])) },
        "gt": Builtin(arity: .exactly(2), parameters: [.value]) { arguments throws(TemplateError) in .bool(!(try lessOrEqual(arguments[0], arguments[1]))) },
        "ge": Builtin(arity: .exactly(2), parameters: [.value]) { arguments throws(TemplateError) in .bool(!(try less(arguments[0], arguments[1]))) },
    ]

    /// The zero value of a Go element type as the typed-JSON names it.
    static func zeroValue(_ type: String) -> TemplateValue {
        // Helm's maps hold interfaces: answered before the type names are tried one by one.
        if type == TemplateValue.MapType.interfaces.element { return .null }
        if let intType = TemplateValue.IntType(rawValue: type) { return .int(0, intType) }
        if let uintType = TemplateValue.UIntType(rawValue: type) { return .uint(0, uintType) }
        switch type {
        case "float64": return .float(0)
        case "float32": return .float(0, isFloat32: true)
        case "string": return .string("")
        case "bool": return .bool(false)
        default: return .null
        }
    }

    // MARK: Escapers

    /// The single string argument as is, else `fmt.Sprint` of the arguments with a missing value
    /// shown as `<no value>`.
    static func evalArgs(_ arguments: [TemplateValue]) -> String {
        if arguments.count == 1, case .string(let text) = arguments[0] { return text }
        var result = ""
        var previousIsString = false
        for (index, argument) in arguments.enumerated() {
            let printable: TemplateValue = argument == .null ? .string("<no value>") : argument
            let isString: Bool = { if case .string = printable { true } else { false } }()
            if index > 0 && !isString && !previousIsString { result += " " }
            result += GoFormat.string(printable)
            previousIsString = isString
        }
        return result
    }

    static func htmlEscape(_ text: String) -> String {
        var result = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\0": result += "\u{FFFD}"
            case "\"": result += "&#34;"
            case "'": result += "&#39;"
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    static func jsEscape(_ text: String) -> String {
        var result = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": result += "\\\\"
            case "'": result += "\\'"
            case "\"": result += "\\\""
            case "<": result += "\\u003C"
            case ">": result += "\\u003E"
            case "&": result += "\\u0026"
            case "=": result += "\\u003D"
            default:
                if scalar.value < 0x20 {
                    result += "\\u00" + GoQuote.hex(scalar.value, width: 2, uppercase: true)
                } else if scalar.value >= 0x80 && !GoQuote.isPrint(scalar) {
                    result += "\\u" + GoQuote.hex(scalar.value, width: 4, uppercase: true)
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result
    }

    /// `url.QueryEscape`.
    static func queryEscape(_ text: String) -> String {
        var result = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"):
                result.unicodeScalars.append(Unicode.Scalar(byte))
            case UInt8(ascii: " "):
                result += "+"
            default:
                result += "%" + GoQuote.hex(UInt32(byte), width: 2, uppercase: true)
            }
        }
        return result
    }

    // MARK: Indexing

    static func length(_ value: TemplateValue) throws(TemplateError) -> Int {
        switch value {
        // Go's reflection panics on the zero Value; the executor reports the panic's text.
        case .null: throw TemplateError("reflect: call of reflect.Value.Type on zero Value")
        case .list(let items, let type): return type.arrayLength ?? items.count
        case .map(let entries, _): return entries.count
        case .string(let text): return text.utf8.count
        case .bytes(let bytes): return bytes.count
        default: throw TemplateError("len of type \(value.typeName)")
        }
    }

    /// An index into a slice, array or string of the given length.
    private static func indexArgument(_ index: TemplateValue, _ limit: Int) throws(TemplateError) -> Int {
        let value: Int64
        switch index {
        case .int(let int, _): value = int
        case .uint(let uint, _): value = Int64(clamping: uint)
        case .duration(let int): value = int
        case .null: throw TemplateError("cannot index slice/array with nil")
        default: throw TemplateError("cannot index slice/array with type \(index.typeName)")
        }
        if value < 0 || value > Int64(limit) { throw TemplateError("index out of range: \(value)") }
        return Int(value)
    }

    static func index(_ item: TemplateValue, _ indexes: [TemplateValue]) throws(TemplateError) -> TemplateValue {
        if case .null = item { throw TemplateError("index of untyped nil") }
        var item = item
        for index in indexes {
            switch item {
            case .list(let items, _):
                let offset = try indexArgument(index, items.count)
                guard offset < items.count else { throw TemplateError("index out of range: \(offset)") }
                item = items[offset]
            case .string(let text):
                let bytes = Array(text.utf8)
                let offset = try indexArgument(index, bytes.count)
                guard offset < bytes.count else { throw TemplateError("index out of range: \(offset)") }
                item = .uint(UInt64(bytes[offset]), .uint8)
            case .bytes(let bytes):
                let offset = try indexArgument(index, bytes.count)
                guard offset < bytes.count else { throw TemplateError("index out of range: \(offset)") }
                item = .uint(UInt64(bytes[offset]), .uint8)
            case .map(let entries, let type):
                let key: String
                switch index {
                case .string(let text) where type.key == "string": key = text
                case .int(let int, let intType) where type.key == intType.rawValue: key = String(int)
                case .null: throw TemplateError("value is nil; should be of type \(type.key)")
                default: throw TemplateError("value has type \(index.typeName); should be \(type.key)")
                }
                item = entries[key] ?? zeroValue(type.element)
            case .null:
                throw TemplateError("index of nil pointer")
            default:
                throw TemplateError("can't index item of type \(item.typeName)")
            }
        }
        return item
    }

    static func slice(_ item: TemplateValue, _ indexes: [TemplateValue]) throws(TemplateError) -> TemplateValue {
        if case .null = item { throw TemplateError("slice of untyped nil") }
        if indexes.count > 3 { throw TemplateError("too many slice indexes: \(indexes.count)") }
        let count: Int
        switch item {
        case .string(let text):
            if indexes.count == 3 { throw TemplateError("cannot 3-index slice a string") }
            count = text.utf8.count
        case .list(let items, _): count = items.count
        case .bytes(let bytes): count = bytes.count
        default: throw TemplateError("can't slice item of type \(item.typeName)")
        }
        var bounds = [0, count, count]
        for (position, index) in indexes.enumerated() { bounds[position] = try indexArgument(index, count) }
        if bounds[0] > bounds[1] { throw TemplateError("invalid slice index: \(bounds[0]) > \(bounds[1])") }
        if indexes.count == 3 && bounds[1] > bounds[2] { throw TemplateError("invalid slice index: \(bounds[1]) > \(bounds[2])") }
        switch item {
        case .string(let text):
            return .string(String(decoding: Array(text.utf8)[bounds[0]..<bounds[1]], as: UTF8.self))
        case .list(let items, let type):
            // Slicing an array gives a slice of its element type.
            return .list(Array(items[bounds[0]..<bounds[1]]), type: .init(element: type.element, arrayLength: nil))
        case .bytes(let bytes):
            return .bytes(Array(bytes[bounds[0]..<bounds[1]]))
        default:
            return .null
        }
    }

    // MARK: Comparison

    private enum BasicKind { case bool, int, uint, float, string, invalid }

    private static func basicKind(_ value: TemplateValue) -> BasicKind {
        switch value {
        case .bool: .bool
        case .int, .duration: .int
        case .uint: .uint
        case .float: .float
        case .string: .string
        default: .invalid
        }
    }

    private static func intValue(_ value: TemplateValue) -> Int64 {
        switch value {
        case .int(let int, _): int
        case .duration(let int): int
        default: 0
        }
    }

    private static func uintValue(_ value: TemplateValue) -> UInt64 {
        if case .uint(let uint, _) = value { return uint }
        return 0
    }

    static func equal(_ first: TemplateValue, _ others: [TemplateValue]) throws(TemplateError) -> Bool {
        if others.isEmpty { throw TemplateError("missing argument for comparison") }
        let firstKind = basicKind(first)
        for other in others {
            let otherKind = basicKind(other)
            var truth = false
            if firstKind != otherKind {
                switch (firstKind, otherKind) {
                case (.int, .uint): truth = intValue(first) >= 0 && UInt64(intValue(first)) == uintValue(other)
                case (.uint, .int): truth = intValue(other) >= 0 && uintValue(first) == UInt64(intValue(other))
                default:
                    if first != .null && other != .null { throw TemplateError("incompatible types for comparison") }
                }
            } else {
                switch (first, other) {
                case (.bool(let a), .bool(let b)): truth = a == b
                case (.float(let a, _), .float(let b, _)): truth = a == b
                case (.string(let a), .string(let b)): truth = a == b
                case _ where firstKind == .int: truth = intValue(first) == intValue(other)
                case _ where firstKind == .uint: truth = uintValue(first) == uintValue(other)
                case (.null, _), (_, .null):
                    truth = first == .null && other == .null
                default:
                    throw TemplateError("non-comparable types \(GoFormat.string(first)): \(first.typeName), \(other.typeName): \(GoFormat.string(other))")
                }
            }
            if truth { return true }
        }
        return false
    }

    static func less(_ first: TemplateValue, _ second: TemplateValue) throws(TemplateError) -> Bool {
        let firstKind = basicKind(first)
        let secondKind = basicKind(second)
        if firstKind == .invalid || secondKind == .invalid { throw TemplateError("invalid type for comparison") }
        if firstKind != secondKind {
            switch (firstKind, secondKind) {
            case (.int, .uint): return intValue(first) < 0 || UInt64(intValue(first)) < uintValue(second)
            case (.uint, .int): return intValue(second) >= 0 && uintValue(first) < UInt64(intValue(second))
            default: throw TemplateError("incompatible types for comparison")
            }
        }
        switch (first, second) {
        case (.bool, _): throw TemplateError("invalid type for comparison")
        case (.float(let a, _), .float(let b, _)): return a < b
        case (.string(let a), .string(let b)): return Array(a.utf8).lexicographicallyPrecedes(Array(b.utf8))
        case _ where firstKind == .int: return intValue(first) < intValue(second)
        default: return uintValue(first) < uintValue(second)
        }
    }

    static func lessOrEqual(_ first: TemplateValue, _ second: TemplateValue) throws(TemplateError) -> Bool {
        if try less(first, second) { return true }
        return try equal(first, [second])
    }
}

extension TemplateValue {
    /// A map's keys in the order Go's fmt and `range` visit them: numerically for integer-keyed
    /// maps (`map[int]T`), byte-wise otherwise.
    static func orderedKeys(_ entries: [String: TemplateValue], _ type: MapType) -> [String] {
        guard IntType(rawValue: type.key) != nil || UIntType(rawValue: type.key) != nil else { return sortedKeys(entries) }
        return entries.keys.sorted { (Int64($0) ?? 0, $0) < (Int64($1) ?? 0, $1) }
    }
}
