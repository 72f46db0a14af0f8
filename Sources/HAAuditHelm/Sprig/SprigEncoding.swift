/// Sprig's encodings: base64/base32 (Go's standard, padded alphabets) and JSON as Go's
/// `encoding/json` writes it (map keys sorted, `<`, `>`, `&` escaped unless raw) and reads it
/// (every number a float64).
extension Sprig {
    /// How deep `fromJson` nests before giving up: bounds hostile input.
    static let maximumJSONDepth = 512

    static var encodingFunctions: TemplateFunctions {
        table([
            fn("b64enc", 1) { c throws(TemplateError) in .string(Base64.encode(Array(try c.string(0).utf8))) },
            // Sprig returns the decoder's error text as the result.
            fn("b64dec", 1) { c throws(TemplateError) in
                switch Base64.decode(try c.string(0)) {
                case .success(let bytes): .string(String(decoding: bytes, as: UTF8.self))
                case .failure(let error): .string(error.message)
                }
            },
            fn("b32enc", 1) { c throws(TemplateError) in .string(Base32.encode(Array(try c.string(0).utf8))) },
            fn("b32dec", 1) { c throws(TemplateError) in
                switch Base32.decode(try c.string(0)) {
                case .success(let bytes): .string(String(decoding: bytes, as: UTF8.self))
                case .failure(let error): .string(error.message)
                }
            },
            fn("fromJson", 1) { c throws(TemplateError) in (try? SprigJSON.parse(try c.string(0))) ?? .null },
            fn("mustFromJson", 1) { c throws(TemplateError) in try SprigJSON.parse(try c.string(0)) },
            fn("toJson", 1) { c in .string((try? SprigJSON.encode(c[0], escapeHTML: true, indent: nil)) ?? "") },
            fn("mustToJson", 1) { c throws(TemplateError) in .string(try SprigJSON.encode(c[0], escapeHTML: true, indent: nil)) },
            fn("toPrettyJson", 1) { c in .string((try? SprigJSON.encode(c[0], escapeHTML: true, indent: "  ")) ?? "") },
            fn("mustToPrettyJson", 1) { c throws(TemplateError) in .string(try SprigJSON.encode(c[0], escapeHTML: true, indent: "  ")) },
            fn("toRawJson", 1) { c in .string((try? SprigJSON.encode(c[0], escapeHTML: false, indent: nil)) ?? "") },
            fn("mustToRawJson", 1) { c throws(TemplateError) in .string(try SprigJSON.encode(c[0], escapeHTML: false, indent: nil)) },
        ])
    }
}

/// Go's `base64.StdEncoding`.
enum Base64 {
    static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    static func encode(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        for start in stride(from: 0, to: bytes.count, by: 3) {
            let chunk = bytes[start..<min(start + 3, bytes.count)]
            let value = chunk.enumerated().reduce(UInt32(0)) { $0 | UInt32($1.element) << (16 - 8 * $1.offset) }
            for index in 0..<4 {
                out.append(index <= chunk.count ? alphabet[Int(value >> (18 - 6 * index) & 63)] : UInt8(ascii: "="))
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Strict decoding; the error names the first bad byte as Go's does. Go skips `\r` and `\n`.
    static func decode(_ text: String) -> Result<[UInt8], TemplateError> {
        let input = Array(text.utf8)
        var out: [UInt8] = []
        var buffer: UInt32 = 0
        var count = 0
        var padding = 0
        for (index, byte) in input.enumerated() {
            if byte == 10 || byte == 13 { continue }
            if byte == UInt8(ascii: "=") {
                guard count >= 2 else { return .failure(corrupt(index)) }
                padding += 1
                continue
            }
            guard padding == 0, let value = alphabet.firstIndex(of: byte) else { return .failure(corrupt(index)) }
            buffer = buffer << 6 | UInt32(value)
            count += 1
            if count == 4 {
                out += [UInt8(buffer >> 16 & 255), UInt8(buffer >> 8 & 255), UInt8(buffer & 255)]
                (buffer, count) = (0, 0)
            }
        }
        if count == 1 || (count > 0 && count + padding != 4) { return .failure(corrupt(input.count)) }
        if count == 2 { out.append(UInt8(buffer >> 4 & 255)) }
        if count == 3 { out += [UInt8(buffer >> 10 & 255), UInt8(buffer >> 2 & 255)] }
        return .success(out)
    }

    static func corrupt(_ index: Int) -> TemplateError { TemplateError("illegal base64 data at input byte \(index)") }
}

/// Go's `base32.StdEncoding`.
enum Base32 {
    static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".utf8)

    static func encode(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        for start in stride(from: 0, to: bytes.count, by: 5) {
            let chunk = Array(bytes[start..<min(start + 5, bytes.count)])
            let value = chunk.enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (32 - 8 * $1.offset) }
            let symbols = [0, 2, 4, 5, 7, 8][chunk.count]
            for index in 0..<8 {
                out.append(index < symbols ? alphabet[Int(value >> (35 - 5 * index) & 31)] : UInt8(ascii: "="))
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func decode(_ text: String) -> Result<[UInt8], TemplateError> {
        let input = Array(text.utf8).filter { $0 != 10 && $0 != 13 }
        guard input.count % 8 == 0 else { return .failure(TemplateError("illegal base32 data at input byte \(input.count / 8 * 8)")) }
        var out: [UInt8] = []
        for start in stride(from: 0, to: input.count, by: 8) {
            var value: UInt64 = 0
            var symbols = 0
            for (offset, byte) in input[start..<start + 8].enumerated() {
                if byte == UInt8(ascii: "=") {
                    guard start + 8 == input.count, input[(start + offset)..<(start + 8)].allSatisfy({ $0 == UInt8(ascii: "=") }) else {
                        return .failure(TemplateError("illegal base32 data at input byte \(start + offset)"))
                    }
                    break
                }
                guard let index = alphabet.firstIndex(of: byte) else {
                    return .failure(TemplateError("illegal base32 data at input byte \(start + offset)"))
                }
                value |= UInt64(index) << (35 - 5 * offset)
                symbols += 1
            }
            guard let length = [8: 5, 7: 4, 5: 3, 4: 2, 2: 1][symbols] else {
                return .failure(TemplateError("illegal base32 data at input byte \(start + symbols)"))
            }
            for index in 0..<length { out.append(UInt8(value >> (32 - 8 * index) & 255)) }
        }
        return .success(out)
    }
}

/// JSON the way Go's encoding/json writes and reads `interface{}` values.
enum SprigJSON {
    static func encode(_ value: TemplateValue, escapeHTML: Bool, indent: String?) throws(TemplateError) -> String {
        var out = ""
        try write(value, into: &out, escapeHTML: escapeHTML, indent: indent, level: 0)
        return out
    }

    private static func write(_ value: TemplateValue, into out: inout String, escapeHTML: Bool, indent: String?, level: Int) throws(TemplateError) {
        func newline(_ level: Int) {
            if let indent { out += "\n" + String(repeating: indent, count: level) }
        }
        switch value {
        case .null: out += "null"
        case .bool(let flag): out += flag ? "true" : "false"
        case .int(let number, _): out += String(number)
        case .uint(let number, _): out += String(number)
        case .duration(let number): out += String(number)
        case .float(let number, _):
            guard number.isFinite else { throw TemplateError("json: unsupported value: \(GoFormat.shortest(number))") }
            out += jsonFloat(number)
        case .string(let text): out += quote(text, escapeHTML: escapeHTML)
        case .bytes(let bytes): out += "\"" + Base64.encode(bytes) + "\""
        case .time(let seconds, let nanoseconds, let zone):
            out += "\"" + SprigTime.format(layout: "2006-01-02T15:04:05.999999999Z07:00", seconds: seconds, nanoseconds: nanoseconds, zone: zone) + "\""
        case .list(let items, _):
            out += "["
            for (index, item) in items.enumerated() {
                if index > 0 { out += "," }
                newline(level + 1)
                try write(item, into: &out, escapeHTML: escapeHTML, indent: indent, level: level + 1)
            }
            if !items.isEmpty { newline(level) }
            out += "]"
        case .map(let entries, _):
            out += "{"
            for (index, key) in TemplateValue.sortedKeys(entries).enumerated() {
                if index > 0 { out += "," }
                newline(level + 1)
                out += quote(key, escapeHTML: escapeHTML) + (indent == nil ? ":" : ": ")
                try write(entries[key]!, into: &out, escapeHTML: escapeHTML, indent: indent, level: level + 1)
            }
            if !entries.isEmpty { newline(level) }
            out += "}"
        }
    }

    /// JSON's number form (`encoding/json`): fixed between 1e-6 and 1e21, else `1e+21`, `1e-7`.
    static func jsonFloat(_ number: Double) -> String {
        let (negative, digits, point) = shortestDigits(number)
        let sign = negative ? "-" : ""
        let magnitude = abs(number)
        if magnitude != 0, magnitude < 1e-6 || magnitude >= 1e21 {
            var mantissa = String(digits[0])
            if digits.count > 1 { mantissa += "." + String(digits[1...]) }
            return sign + mantissa + "e" + (point - 1 < 0 ? "-" : "+") + String(abs(point - 1))
        }
        if point <= 0 { return sign + "0." + String(repeating: "0", count: -point) + String(digits) }
        if point >= digits.count { return sign + String(digits) + String(repeating: "0", count: point - digits.count) }
        return sign + String(digits[..<point]) + "." + String(digits[point...])
    }

    /// The shortest decimal digits that read back as `number`, and where the decimal point goes
    /// (`0.d1d2... × 10^point`). Swift's description already is the shortest round-trip form.
    private static func shortestDigits(_ number: Double) -> (negative: Bool, digits: [Character], point: Int) {
        let text = "\(number)"
        var body = Substring(text)
        let negative = body.hasPrefix("-")
        if negative { body = body.dropFirst() }
        var exponent = 0
        if let e = body.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            exponent = Int(body[body.index(after: e)...].replacingOccurrences(of: "+", with: "")) ?? 0
            body = body[..<e]
        }
        let parts = body.split(separator: ".", omittingEmptySubsequences: false)
        let whole = Array(parts[0])
        let fraction = parts.count > 1 ? Array(parts[1]) : []
        var digits = whole + fraction
        var point = whole.count + exponent
        while let first = digits.first, first == "0", digits.count > 1 { digits.removeFirst(); point -= 1 }
        while let last = digits.last, last == "0", digits.count > 1 { digits.removeLast() }
        if digits == ["0"] { point = 1 }
        return (negative, digits, point)
    }

    static func quote(_ text: String, escapeHTML: Bool) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case "<", ">", "&":
                if escapeHTML { out += "\\u00" + SprigValue.hex([UInt8(scalar.value)]) } else { out.unicodeScalars.append(scalar) }
            case "\u{2028}": out += "\\u2028"
            case "\u{2029}": out += "\\u2029"
            default:
                if scalar.value < 0x20 { out += "\\u00" + SprigValue.hex([UInt8(scalar.value)]) }
                else { out.unicodeScalars.append(scalar) }
            }
        }
        return out + "\""
    }

    /// `json.Unmarshal` into `interface{}`: objects are maps, arrays lists, numbers float64.
    static func parse(_ text: String) throws(TemplateError) -> TemplateValue {
        var parser = Parser(bytes: Array(text.utf8))
        parser.skipSpace()
        let value = try parser.value(depth: 0)
        parser.skipSpace()
        guard parser.index == parser.bytes.count else { throw parser.error("invalid character after top-level value") }
        return value
    }

    private struct Parser {
        let bytes: [UInt8]
        var index = 0

        func error(_ message: String) -> TemplateError { TemplateError(message) }

        mutating func skipSpace() {
            while index < bytes.count, [9, 10, 13, 32].contains(bytes[index]) { index += 1 }
        }

        mutating func expect(_ literal: String) throws(TemplateError) {
            let expected = Array(literal.utf8)
            guard bytes.count - index >= expected.count, Array(bytes[index..<index + expected.count]) == expected else {
                throw error("invalid character in literal")
            }
            index += expected.count
        }

        mutating func value(depth: Int) throws(TemplateError) -> TemplateValue {
            guard depth < Sprig.maximumJSONDepth else { throw error("exceeded max depth") }
            guard index < bytes.count else { throw error("unexpected end of JSON input") }
            switch bytes[index] {
            case UInt8(ascii: "{"):
                index += 1
                var entries: [String: TemplateValue] = [:]
                skipSpace()
                if index < bytes.count, bytes[index] == UInt8(ascii: "}") { index += 1; return .map(entries) }
                while true {
                    skipSpace()
                    guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw error("invalid character looking for beginning of object key string") }
                    let key = try string()
                    skipSpace()
                    try expect(":")
                    skipSpace()
                    entries[key] = try value(depth: depth + 1)
                    skipSpace()
                    guard index < bytes.count else { throw error("unexpected end of JSON input") }
                    index += 1
                    if bytes[index - 1] == UInt8(ascii: "}") { return .map(entries) }
                    guard bytes[index - 1] == UInt8(ascii: ",") else { throw error("invalid character after object key:value pair") }
                }
            case UInt8(ascii: "["):
                index += 1
                var items: [TemplateValue] = []
                skipSpace()
                if index < bytes.count, bytes[index] == UInt8(ascii: "]") { index += 1; return .list(items) }
                while true {
                    skipSpace()
                    items.append(try value(depth: depth + 1))
                    skipSpace()
                    guard index < bytes.count else { throw error("unexpected end of JSON input") }
                    index += 1
                    if bytes[index - 1] == UInt8(ascii: "]") { return .list(items) }
                    guard bytes[index - 1] == UInt8(ascii: ",") else { throw error("invalid character after array element") }
                }
            case UInt8(ascii: "\""): return .string(try string())
            case UInt8(ascii: "t"): try expect("true"); return .bool(true)
            case UInt8(ascii: "f"): try expect("false"); return .bool(false)
            case UInt8(ascii: "n"): try expect("null"); return .null
            default:
                let start = index
                while index < bytes.count, "+-0123456789.eE".utf8.contains(bytes[index]) { index += 1 }
                guard let number = Double(String(decoding: bytes[start..<index], as: UTF8.self)) else {
                    throw error("invalid character looking for beginning of value")
                }
                return .float(number)
            }
        }

        mutating func string() throws(TemplateError) -> String {
            index += 1
            var out: [UInt8] = []
            while index < bytes.count {
                let byte = bytes[index]
                index += 1
                if byte == UInt8(ascii: "\"") { return String(decoding: out, as: UTF8.self) }
                guard byte == UInt8(ascii: "\\") else { out.append(byte); continue }
                guard index < bytes.count else { break }
                let escape = bytes[index]
                index += 1
                switch escape {
                case UInt8(ascii: "n"): out.append(10)
                case UInt8(ascii: "t"): out.append(9)
                case UInt8(ascii: "r"): out.append(13)
                case UInt8(ascii: "b"): out.append(8)
                case UInt8(ascii: "f"): out.append(12)
                case UInt8(ascii: "u"):
                    var code = try hex4()
                    if (0xD800..<0xDC00).contains(code), bytes.count - index >= 6, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") {
                        index += 2
                        let low = try hex4()
                        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                    }
                    out += Array(String(Unicode.Scalar(code).map(Character.init) ?? "\u{FFFD}").utf8)
                default: out.append(escape)
                }
            }
            throw error("unexpected end of JSON input")
        }

        mutating func hex4() throws(TemplateError) -> UInt32 {
            guard bytes.count - index >= 4, let code = UInt32(String(decoding: bytes[index..<index + 4], as: UTF8.self), radix: 16) else {
                throw error("invalid character in \\u hexadecimal character escape")
            }
            index += 4
            return code
        }
    }
}
