/// Go's strconv quoting (`strconv.Quote`, `%q`, `%#U`), which error messages and `String()` of a
/// parse tree use.
enum GoQuote {
    /// `strconv.Quote`: printable runes kept, others escaped.
    static func quote(_ text: String, quote mark: Character = "\"", asciiOnly: Bool = false) -> String {
        var result = String(mark)
        for scalar in text.unicodeScalars {
            result += escape(scalar, quote: mark, asciiOnly: asciiOnly)
        }
        result.append(mark)
        return result
    }

    /// Quotes bytes that may not be valid UTF-8 (invalid bytes become `\xNN`).
    static func quote(bytes: [UInt8], asciiOnly: Bool = false) -> String {
        var result = "\""
        var index = 0
        while index < bytes.count {
            let (scalar, length) = decodeScalar(bytes, at: index)
            if let scalar { result += escape(scalar, quote: "\"", asciiOnly: asciiOnly) }
            else { result += "\\x" + hex(UInt32(bytes[index]), width: 2) }
            index += length
        }
        return result + "\""
    }

    /// Decodes one scalar; nil (length 1) for an invalid byte.
    static func decodeScalar(_ bytes: [UInt8], at index: Int) -> (Unicode.Scalar?, Int) {
        let lead = bytes[index]
        let length = lead < 0x80 ? 1 : lead >= 0xC2 && lead < 0xE0 ? 2 : lead >= 0xE0 && lead < 0xF0 ? 3 : lead >= 0xF0 && lead < 0xF5 ? 4 : 0
        guard length > 0, index + length <= bytes.count else { return (nil, 1) }
        var decoder = UTF8()
        var iterator = bytes[index..<(index + length)].makeIterator()
        if case .scalarValue(let scalar) = decoder.decode(&iterator) { return (scalar, length) }
        return (nil, 1)
    }

    static func escape(_ scalar: Unicode.Scalar, quote mark: Character, asciiOnly: Bool = false) -> String {
        if Character(scalar) == mark || scalar == "\\" { return "\\" + String(scalar) }
        if asciiOnly ? (scalar.isASCII && isPrint(scalar)) : isPrint(scalar) { return String(scalar) }
        switch scalar {
        case "\u{07}": return "\\a"
        case "\u{08}": return "\\b"
        case "\u{0C}": return "\\f"
        case "\n": return "\\n"
        case "\r": return "\\r"
        case "\t": return "\\t"
        case "\u{0B}": return "\\v"
        default:
            if scalar.value < 0x20 || scalar.value == 0x7F { return "\\x" + hex(scalar.value, width: 2) }
            if scalar.value < 0x10000 { return "\\u" + hex(scalar.value, width: 4) }
            return "\\U" + hex(scalar.value, width: 8)
        }
    }

    /// Go's `unicode.IsPrint`: letters, marks, numbers, punctuation, symbols and the ASCII space.
    static func isPrint(_ scalar: Unicode.Scalar) -> Bool {
        if scalar == " " { return true }
        switch scalar.properties.generalCategory {
        case .control, .format, .privateUse, .surrogate, .unassigned, .lineSeparator, .paragraphSeparator, .spaceSeparator:
            return false
        default:
            return true
        }
    }

    static func hex(_ value: UInt32, width: Int, uppercase: Bool = false) -> String {
        let digits = String(value, radix: 16, uppercase: uppercase)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    /// `%#U`: `U+0023 '#'`.
    static func scalarDescription(_ scalar: Unicode.Scalar) -> String {
        let code = "U+" + hex(scalar.value, width: 4, uppercase: true)
        return isPrint(scalar) ? "\(code) '\(scalar)'" : code
    }

    /// `strconv.Unquote` for the three Go literal forms ("...", `...`, '.'). Nil when malformed.
    static func unquote(_ text: String) -> String? {
        // Fast path: a double-quoted literal without escapes is its body.
        let utf8 = text.utf8
        if utf8.count >= 2, utf8.first == UInt8(ascii: "\""), utf8.last == UInt8(ascii: "\""),
           !utf8.dropFirst().dropLast().contains(where: { $0 == UInt8(ascii: "\\") || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\n") }) {
            return String(decoding: utf8.dropFirst().dropLast(), as: UTF8.self)
        }
        let scalars = Array(text.unicodeScalars)
        guard scalars.count >= 2, let first = scalars.first, first == scalars.last else { return nil }
        if first == "`" {
            let body = scalars[1..<(scalars.count - 1)]
            if body.contains("`") { return nil }
            var result = String.UnicodeScalarView()
            result.append(contentsOf: body.filter { $0 != "\r" })
            return String(result)
        }
        guard first == "\"" || first == "'" else { return nil }
        var result = [UInt8]()
        var index = 1
        let end = scalars.count - 1
        var count = 0
        while index < end {
            guard let (bytes, next) = unquoteChar(scalars, index, quote: first) else { return nil }
            result += bytes
            index = next
            count += 1
        }
        if first == "'" && count != 1 { return nil }
        return String(decoding: result, as: UTF8.self)
    }

    /// One (possibly escaped) character: its UTF-8 bytes and the next index.
    static func unquoteChar(_ scalars: [Unicode.Scalar], _ start: Int, quote: Unicode.Scalar) -> ([UInt8], Int)? {
        let scalar = scalars[start]
        // An unescaped quote or newline cannot appear inside a quoted literal.
        if scalar == quote || scalar == "\n" { return nil }
        guard scalar == "\\" else { return (Array(String(scalar).utf8), start + 1) }
        guard start + 1 < scalars.count else { return nil }
        let escape = scalars[start + 1]
        func utf8(_ value: UInt32) -> [UInt8]? {
            guard let scalar = Unicode.Scalar(value) else { return nil }
            return Array(String(scalar).utf8)
        }
        func hexValue(_ count: Int) -> UInt32? {
            guard start + 2 + count <= scalars.count else { return nil }
            var value: UInt32 = 0
            for scalar in scalars[(start + 2)..<(start + 2 + count)] {
                guard let digit = Int(String(scalar), radix: 16) else { return nil }
                value = value * 16 + UInt32(digit)
            }
            return value
        }
        switch escape {
        case "a": return ([7], start + 2)
        case "b": return ([8], start + 2)
        case "f": return ([12], start + 2)
        case "n": return ([10], start + 2)
        case "r": return ([13], start + 2)
        case "t": return ([9], start + 2)
        case "v": return ([11], start + 2)
        case "\\": return ([92], start + 2)
        case "'", "\"":
            guard escape == quote else { return nil }
            return ([UInt8(escape.value)], start + 2)
        case "x":
            guard let value = hexValue(2) else { return nil }
            // A byte, not a rune: "\xFF" is one byte; in a char constant it is the rune 255.
            if quote == "'" { return utf8(value).map { ($0, start + 4) } }
            return ([UInt8(value)], start + 4)
        case "u", "U":
            let count = escape == "u" ? 4 : 8
            guard let value = hexValue(count), let bytes = utf8(value) else { return nil }
            return (bytes, start + 2 + count)
        case "0"..."7":
            guard start + 4 <= scalars.count else { return nil }
            var value: UInt32 = 0
            for scalar in scalars[(start + 1)..<(start + 4)] {
                guard let digit = Int(String(scalar), radix: 8) else { return nil }
                value = value * 8 + UInt32(digit)
            }
            guard value <= 255 else { return nil }
            if quote == "'" { return utf8(value).map { ($0, start + 4) } }
            return ([UInt8(value)], start + 4)
        default:
            return nil
        }
    }
}
