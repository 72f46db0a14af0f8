/// JSON as Go's encoding/json writes and reads it through `interface{}`: what Helm's
/// `toJson`/`fromJson` do, and the first half of sigs.k8s.io/yaml's `Marshal`.
enum HelmJSON {
    /// Deepest nesting written or read: deeper input is refused (Go's decoder stops at 10000).
    static let maxDepth = 10_000

    // MARK: Encoding

    /// `json.Marshal`: map keys sorted, `<`, `>`, `&`, U+2028 and U+2029 escaped, NaN and
    /// infinities refused.
    static func encode(_ value: TemplateValue) throws(TemplateError) -> String {
        var output = ""
        try encode(value, into: &output, depth: 0)
        return output
    }

    private static func encode(_ value: TemplateValue, into output: inout String, depth: Int) throws(TemplateError) {
        guard depth < maxDepth else { throw TemplateError("json: exceeded max depth") }
        switch value {
        case .null: output += "null"
        case .bool(let flag): output += String(flag)
        case .int(let number, _): output += String(number)
        case .uint(let number, _): output += String(number)
        case .duration(let nanoseconds): output += String(nanoseconds)
        case .float(let float, _):
            guard float.isFinite else {
                throw TemplateError("json: unsupported value: \(GoFormat.shortest(float))")
            }
            output += number(float)
        case .string(let text): quote(text, into: &output)
        case .bytes(let bytes): quote(base64(bytes), into: &output)
        case .time: quote(rfc3339(value), into: &output)
        case .list(let items, _):
            output += "["
            for (index, item) in items.enumerated() {
                if index > 0 { output += "," }
                try encode(item, into: &output, depth: depth + 1)
            }
            output += "]"
        case .map(let entries, _):
            output += "{"
            for (index, key) in TemplateValue.sortedKeys(entries).enumerated() {
                if index > 0 { output += "," }
                quote(key, into: &output)
                output += ":"
                try encode(entries[key]!, into: &output, depth: depth + 1)
            }
            output += "}"
        }
    }

    /// A float64 as encoding/json writes it: like %f up to 1e21, exponent form outside
    /// [1e-6, 1e21) with a two-digit minimum exponent trimmed (`1e-7`, not `1e-07`).
    static func number(_ value: Double) -> String {
        let magnitude = abs(value)
        if magnitude != 0 && (magnitude < 1e-6 || magnitude >= 1e21) {
            var text = GoFormat.shortest(value)
            if let e = text.firstIndex(of: "e") {
                let exponent = text[text.index(after: e)...]
                let sign = exponent.first!
                let digits = exponent.dropFirst().drop { $0 == "0" }
                text = text[..<e] + "e" + (sign == "-" ? "-" : "+") + (digits.isEmpty ? "0" : digits)
            }
            return text
        }
        let (negative, digits, exponent) = shortestDigits(value)
        return (negative ? "-" : "") + plainDecimal(digits, exponent)
    }

    /// `digits` with the decimal point after `exponent + 1` digits, padded with zeros.
    private static func plainDecimal(_ digits: String, _ exponent: Int) -> String {
        if exponent < 0 { return "0." + String(repeating: "0", count: -exponent - 1) + digits }
        if digits.count <= exponent + 1 { return digits + String(repeating: "0", count: exponent + 1 - digits.count) }
        let split = digits.index(digits.startIndex, offsetBy: exponent + 1)
        return digits[..<split] + "." + digits[split...]
    }

    /// The shortest decimal digits that read back as `value` (Swift's `description` finds them),
    /// and the decimal exponent of the first digit.
    private static func shortestDigits(_ value: Double) -> (negative: Bool, digits: String, exponent: Int) {
        if value == 0 { return (value.sign == .minus, "0", 0) }
        var text = abs(value).description
        var exponent = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            exponent = Int(text[text.index(after: e)...])!
            text = String(text[..<e])
        }
        let point = text.firstIndex(of: ".") ?? text.endIndex
        let integral = String(text[..<point])
        let fraction = point < text.endIndex ? String(text[text.index(after: point)...]) : ""
        var digits = integral + fraction
        exponent += integral.count - 1
        while digits.hasPrefix("0") && digits.count > 1 {
            digits.removeFirst()
            exponent -= 1
        }
        while digits.hasSuffix("0") && digits.count > 1 { digits.removeLast() }
        return (value < 0, digits, exponent)
    }

    /// A time as `MarshalJSON` writes it (RFC 3339 with nanoseconds), from Go's `String` form
    /// `2006-01-02 15:04:05.999999999 -0700 MST`.
    static func rfc3339(_ value: TemplateValue) -> String {
        let parts = GoTime.string(value).split(separator: " ")
        guard parts.count >= 3 else { return GoTime.string(value) }
        let offset = parts[2]
        let zone = offset == "+0000" ? "Z" : offset.prefix(3) + ":" + offset.suffix(2)
        return parts[0] + "T" + parts[1] + zone
    }

    static func quote(_ text: String, into output: inout String) {
        output += "\""
        // Runs without escapes are copied whole; escapes start at an ASCII byte or at the lead
        // byte of U+2028/U+2029, so every cut is at a character boundary.
        let bytes = text.utf8
        var runStart = bytes.startIndex
        var index = runStart
        while index != bytes.endIndex {
            let byte = bytes[index]
            var escape: String?
            var length = 1
            switch byte {
            case UInt8(ascii: "\""): escape = "\\\""
            case UInt8(ascii: "\\"): escape = "\\\\"
            case UInt8(ascii: "\n"): escape = "\\n"
            case UInt8(ascii: "\r"): escape = "\\r"
            case UInt8(ascii: "\t"): escape = "\\t"
            case UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "&"), ..<0x20: escape = "\\u" + hex4(UInt32(byte))
            case 0xE2:
                // U+2028 and U+2029 are E2 80 A8 and E2 80 A9.
                let rest = bytes[index...].dropFirst().prefix(2)
                if rest.elementsEqual([0x80, 0xA8]) || rest.elementsEqual([0x80, 0xA9]) {
                    escape = rest.last == 0xA8 ? "\\u2028" : "\\u2029"
                    length = 3
                }
            default: break
            }
            guard let escape else {
                index = bytes.index(after: index)
                continue
            }
            output += text[runStart..<index]
            output += escape
            index = bytes.index(index, offsetBy: length)
            runStart = index
        }
        output += text[runStart...]
        output += "\""
    }

    private static func hex4(_ value: UInt32) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }

    static func base64(_ bytes: [UInt8]) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
        var output = ""
        var index = 0
        while index < bytes.count {
            let chunk = bytes[index..<min(index + 3, bytes.count)]
            let value = chunk.enumerated().reduce(UInt32(0)) { $0 | UInt32($1.element) << (16 - 8 * UInt32($1.offset)) }
            for position in 0..<4 {
                output.append(position <= chunk.count ? alphabet[Int(value >> (18 - 6 * UInt32(position)) & 63)] : "=")
            }
            index += 3
        }
        return output
    }

    // MARK: Decoding

    /// `json.Unmarshal` into `interface{}`: numbers are float64. Errors carry Go's texts.
    static func decode(_ text: String) throws(TemplateError) -> TemplateValue {
        var parser = Parser(bytes: Array(text.utf8))
        parser.skipSpace()
        guard parser.position < parser.bytes.count else { throw TemplateError("unexpected end of JSON input") }
        let value = try parser.value(depth: 0)
        parser.skipSpace()
        if parser.position < parser.bytes.count {
            throw TemplateError("invalid character \(parser.describe(parser.bytes[parser.position])) after top-level value")
        }
        return value
    }

    /// Go's type name for the mismatch message (`cannot unmarshal array into ...`).
    static func kindWord(_ value: TemplateValue) -> String {
        switch value {
        case .map: "object"
        case .list: "array"
        case .string: "string"
        case .bool: "bool"
        case .null: "null"
        default: "number"
        }
    }

    private struct Parser {
        let bytes: [UInt8]
        var position = 0

        mutating func skipSpace() {
            while position < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[position]) { position += 1 }
        }

        func describe(_ byte: UInt8) -> String {
            byte == UInt8(ascii: "'") ? "'\\''" : byte == UInt8(ascii: "\"") ? "'\"'" : "'\(Character(Unicode.Scalar(byte)))'"
        }

        mutating func value(depth: Int) throws(TemplateError) -> TemplateValue {
            guard depth < HelmJSON.maxDepth else { throw TemplateError("exceeded max depth") }
            skipSpace()
            guard position < bytes.count else { throw TemplateError("unexpected end of JSON input") }
            let byte = bytes[position]
            switch byte {
            case UInt8(ascii: "{"):
                position += 1
                var entries: [String: TemplateValue] = [:]
                skipSpace()
                if position < bytes.count, bytes[position] == UInt8(ascii: "}") {
                    position += 1
                    return .map(entries)
                }
                while true {
                    skipSpace()
                    guard position < bytes.count else { throw TemplateError("unexpected end of JSON input") }
                    guard bytes[position] == UInt8(ascii: "\"") else {
                        throw TemplateError("invalid character \(describe(bytes[position])) looking for beginning of object key string")
                    }
                    let key = try string()
                    skipSpace()
                    guard position < bytes.count else { throw TemplateError("unexpected end of JSON input") }
                    guard bytes[position] == UInt8(ascii: ":") else {
                        throw TemplateError("invalid character \(describe(bytes[position])) after object key")
                    }
                    position += 1
                    entries[key] = try value(depth: depth + 1)
                    skipSpace()
                    guard position < bytes.count else { throw TemplateError("unexpected end of JSON input") }
                    if bytes[position] == UInt8(ascii: ",") { position += 1; continue }
                    if bytes[position] == UInt8(ascii: "}") { position += 1; return .map(entries) }
                    throw TemplateError("invalid character \(describe(bytes[position])) after object key:value pair")
                }
            case UInt8(ascii: "["):
                position += 1
                var items: [TemplateValue] = []
                skipSpace()
                if position < bytes.count, bytes[position] == UInt8(ascii: "]") {
                    position += 1
                    return .list(items)
                }
                while true {
                    items.append(try value(depth: depth + 1))
                    skipSpace()
                    guard position < bytes.count else { throw TemplateError("unexpected end of JSON input") }
                    if bytes[position] == UInt8(ascii: ",") { position += 1; continue }
                    if bytes[position] == UInt8(ascii: "]") { position += 1; return .list(items) }
                    throw TemplateError("invalid character \(describe(bytes[position])) after array element")
                }
            case UInt8(ascii: "\""):
                return .string(try string())
            case UInt8(ascii: "t"): return try literal("true", .bool(true))
            case UInt8(ascii: "f"): return try literal("false", .bool(false))
            case UInt8(ascii: "n"): return try literal("null", .null)
            default:
                guard byte == UInt8(ascii: "-") || (byte >= 0x30 && byte <= 0x39) else {
                    throw TemplateError("invalid character \(describe(byte)) looking for beginning of value")
                }
                let start = position
                position += 1
                while position < bytes.count, "0123456789.eE+-".utf8.contains(bytes[position]) { position += 1 }
                let text = String(decoding: bytes[start..<position], as: UTF8.self)
                guard let number = Double(text) else { throw TemplateError("invalid number literal \(text)") }
                return .float(number)
            }
        }

        mutating func literal(_ word: String, _ value: TemplateValue) throws(TemplateError) -> TemplateValue {
            let expected = Array(word.utf8)
            for byte in expected {
                guard position < bytes.count else { throw TemplateError("unexpected end of JSON input") }
                guard bytes[position] == byte else {
                    throw TemplateError("invalid character \(describe(bytes[position])) in literal \(word) (expecting '\(Character(Unicode.Scalar(byte)))')")
                }
                position += 1
            }
            return value
        }

        mutating func string() throws(TemplateError) -> String {
            position += 1
            var scalars = String.UnicodeScalarView()
            var run: [UInt8] = []
            func flush() {
                scalars.append(contentsOf: String(decoding: run, as: UTF8.self).unicodeScalars)
                run.removeAll()
            }
            while position < bytes.count {
                let byte = bytes[position]
                position += 1
                switch byte {
                case UInt8(ascii: "\""):
                    flush()
                    return String(scalars)
                case UInt8(ascii: "\\"):
                    flush()
                    guard position < bytes.count else { throw TemplateError("unexpected end of JSON input") }
                    let escape = bytes[position]
                    position += 1
                    switch escape {
                    case UInt8(ascii: "n"): scalars.append("\n")
                    case UInt8(ascii: "t"): scalars.append("\t")
                    case UInt8(ascii: "r"): scalars.append("\r")
                    case UInt8(ascii: "b"): scalars.append("\u{8}")
                    case UInt8(ascii: "f"): scalars.append("\u{C}")
                    case UInt8(ascii: "/"), UInt8(ascii: "\\"), UInt8(ascii: "\""): scalars.append(Unicode.Scalar(escape))
                    case UInt8(ascii: "u"):
                        var code = try hex4()
                        if (0xD800..<0xDC00).contains(code), position + 1 < bytes.count,
                           bytes[position] == UInt8(ascii: "\\"), bytes[position + 1] == UInt8(ascii: "u") {
                            position += 2
                            let low = try hex4()
                            code = 0x10000 + ((code - 0xD800) << 10) + (low &- 0xDC00)
                        }
                        scalars.append(Unicode.Scalar(code) ?? "\u{FFFD}")
                    default:
                        throw TemplateError("invalid character \(describe(escape)) in string escape code")
                    }
                default:
                    guard byte >= 0x20 else { throw TemplateError("invalid character \(describe(byte)) in string literal") }
                    run.append(byte)
                }
            }
            throw TemplateError("unexpected end of JSON input")
        }

        mutating func hex4() throws(TemplateError) -> UInt32 {
            guard position + 4 <= bytes.count, let code = UInt32(String(decoding: bytes[position..<position + 4], as: UTF8.self), radix: 16) else {
                throw TemplateError("invalid character in \\u hexadecimal character escape")
            }
            position += 4
            return code
        }
    }
}
