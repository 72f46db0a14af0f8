import Foundation

/// Go's `fmt.Sprintf("%v")` for the values Sprig turns into text (`toString`, `join`, `cat`,
/// `quote`): what Sprig's `strval` produces.
enum SprigFormat {
    static func value(_ value: TemplateValue) -> String {
        switch value {
        case .null: return "<nil>"
        case .bool(let flag): return flag ? "true" : "false"
        case .int(let number, _): return String(number)
        case .uint(let number, _): return String(number)
        case .float(let number, let isFloat32): return float(number, isFloat32: isFloat32)
        case .string(let text): return text
        case .list(let items, _): return "[" + items.map(Self.value).joined(separator: " ") + "]"
        case .map(let entries, _):
            let pairs = TemplateValue.sortedKeys(entries).map { "\($0):\(Self.value(entries[$0]!))" }
            return "map[" + pairs.joined(separator: " ") + "]"
        case .duration(let nanoseconds): return SprigTime.durationString(nanoseconds)
        case .time(let seconds, let nanoseconds, let zone):
            return SprigTime.format(layout: "2006-01-02 15:04:05.999999999 -0700 MST", seconds: seconds, nanoseconds: nanoseconds, zone: zone)
        case .bytes(let bytes): return "[" + bytes.map(String.init).joined(separator: " ") + "]"
        }
    }

    /// `%v` of a float: `strconv.FormatFloat(f, 'g', -1, 64)`, the shortest digits that read
    /// back, in exponent form when the exponent is below -4 or at least 6 (`1e+06`, `123456`).
    static func float(_ number: Double, isFloat32: Bool = false) -> String {
        if number.isNaN { return "NaN" }
        if number.isInfinite { return number < 0 ? "-Inf" : "+Inf" }
        let (negative, digits, point) = shortestDigits(number, isFloat32: isFloat32)
        let sign = negative ? "-" : ""
        let exponent = point - 1
        if exponent < -4 || exponent >= 6 {
            return sign + scientific(digits, exponent: exponent, minimumExponentDigits: 2)
        }
        return sign + fixed(digits, point: point)
    }

    /// JSON's number form (`encoding/json`): fixed between 1e-6 and 1e21, else `1e+21`, `1e-7`.
    static func jsonFloat(_ number: Double) -> String {
        let (negative, digits, point) = shortestDigits(number, isFloat32: false)
        let sign = negative ? "-" : ""
        let magnitude = abs(number)
        if magnitude != 0, magnitude < 1e-6 || magnitude >= 1e21 {
            return sign + scientific(digits, exponent: point - 1, minimumExponentDigits: 1)
        }
        return sign + fixed(digits, point: point)
    }

    /// The shortest decimal digits that read back as `number`, and where the decimal point goes
    /// (`0.d1d2... × 10^point`). Swift's description already is the shortest round-trip form.
    static func shortestDigits(_ number: Double, isFloat32: Bool) -> (negative: Bool, digits: [Character], point: Int) {
        let text = isFloat32 ? "\(Float(number))" : "\(number)"
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

    private static func scientific(_ digits: [Character], exponent: Int, minimumExponentDigits: Int) -> String {
        var mantissa = String(digits[0])
        if digits.count > 1 { mantissa += "." + String(digits[1...]) }
        let magnitude = String(abs(exponent))
        let padded = String(repeating: "0", count: max(0, minimumExponentDigits - magnitude.count)) + magnitude
        return mantissa + "e" + (exponent < 0 ? "-" : "+") + padded
    }

    private static func fixed(_ digits: [Character], point: Int) -> String {
        if point <= 0 { return "0." + String(repeating: "0", count: -point) + String(digits) }
        if point >= digits.count { return String(digits) + String(repeating: "0", count: point - digits.count) }
        return String(digits[..<point]) + "." + String(digits[point...])
    }

    /// Go's `%q` (`strconv.Quote`): printable runes kept, the rest escaped.
    static func quote(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\u{07}": out += "\\a"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{0B}": out += "\\v"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    out += String(format: "\\x%02x", scalar.value)
                } else if scalar.value >= 0x80, !isPrintable(scalar) {
                    out += scalar.value > 0xFFFF ? String(format: "\\U%08x", scalar.value) : String(format: "\\u%04x", scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    /// Go's `unicode.IsPrint` approximated: letters, marks, numbers, punctuation, symbols and the
    /// ASCII space.
    private static func isPrintable(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .control, .format, .surrogate, .privateUse, .unassigned, .lineSeparator, .paragraphSeparator, .spaceSeparator:
            false
        default: true
        }
    }
}
