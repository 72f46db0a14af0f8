import Foundation

/// Go's fmt package over template values: `Sprint`, `Sprintln`, `Sprintf` and the `%v` form
/// that actions print with. Arguments are Go `interface{}` values: `.null` is a nil interface.
public enum GoFormat {
    /// `fmt.Sprint`: a space between operands when neither side is a string.
    public static func sprint(_ values: [TemplateValue]) -> String {
        var result = ""
        var previousIsString = false
        for (index, value) in values.enumerated() {
            let isString = { if case .string = value { return true } else { return false } }()
            if index > 0 && !isString && !previousIsString { result += " " }
            result += format(value, verb: "v")
            previousIsString = isString
        }
        return result
    }

    /// `fmt.Sprintln`: always spaces, then a newline.
    public static func sprintln(_ values: [TemplateValue]) -> String {
        values.map { format($0, verb: "v") }.joined(separator: " ") + "\n"
    }

    /// `%v` of one value.
    public static func string(_ value: TemplateValue) -> String { format(value, verb: "v") }

    struct Flags {
        var plus = false, minus = false, sharp = false, space = false, zero = false
        var width: Int?
        var precision: Int?
    }

    // MARK: Sprintf

    /// `fmt.Sprintf`, with Go's error forms (`%!d(string=x)`, `%!d(MISSING)`, `%!(EXTRA ...)`).
    public static func sprintf(_ format: String, _ arguments: [TemplateValue]) -> String {
        let chars = Array(format.unicodeScalars)
        var result = ""
        var argumentIndex = 0
        var reordered = false
        var index = 0
        while index < chars.count {
            let start = index
            while index < chars.count && chars[index] != "%" { index += 1 }
            if index > start { result.unicodeScalars.append(contentsOf: chars[start..<index]) }
            if index >= chars.count { break }
            index += 1
            var flags = Flags()
            flagLoop: while index < chars.count {
                switch chars[index] {
                case "#": flags.sharp = true
                case "0": flags.zero = !flags.minus
                case "+": flags.plus = true
                case "-": flags.minus = true; flags.zero = false
                case " ": flags.space = true
                default: break flagLoop
                }
                index += 1
            }
            // Width.
            if index < chars.count && chars[index] == "*" {
                index += 1
                if argumentIndex < arguments.count, let width = intArgument(arguments[argumentIndex]) {
                    flags.width = width
                    if width < 0 { flags.width = -width; flags.minus = true; flags.zero = false }
                } else {
                    result += "%!(BADWIDTH)"
                }
                argumentIndex += 1
            } else {
                flags.width = parseNumber(chars, &index)
            }
            // Precision.
            if index + 1 <= chars.count - 1 && chars[index] == "." {
                index += 1
                if chars[index] == "*" {
                    index += 1
                    if argumentIndex < arguments.count, let precision = intArgument(arguments[argumentIndex]) {
                        flags.precision = precision < 0 ? nil : precision
                        if precision < 0 { result += "%!(BADPREC)" }
                    } else {
                        result += "%!(BADPREC)"
                    }
                    argumentIndex += 1
                } else {
                    flags.precision = parseNumber(chars, &index) ?? 0
                }
            }
            // An explicit argument index before the verb: `%[2]s`.
            var badIndex = false
            if index < chars.count && chars[index] == "[" {
                reordered = true
                index += 1
                let number = parseNumber(chars, &index)
                if index < chars.count && chars[index] == "]", let number, number >= 1, number <= arguments.count {
                    argumentIndex = number - 1
                } else {
                    badIndex = true
                    while index < chars.count && chars[index] != "]" { index += 1 }
                }
                index += 1
            }
            if index >= chars.count {
                result += "%!(NOVERB)"
                break
            }
            let verb = chars[index]
            index += 1
            if verb == "%" {
                result += "%"
                continue
            }
            if badIndex {
                result += "%!\(verb)(BADINDEX)"
                continue
            }
            if argumentIndex >= arguments.count {
                result += "%!\(verb)(MISSING)"
                continue
            }
            result += formatArgument(arguments[argumentIndex], verb: verb, flags: flags)
            argumentIndex += 1
        }
        // Unused arguments are reported unless the format picked them by index.
        if !reordered && argumentIndex < arguments.count {
            result += "%!(EXTRA "
            result += arguments[argumentIndex...].map { value in
                if case .null = value { return "<nil>" }
                return value.typeName + "=" + self.format(value, verb: "v")
            }.joined(separator: ", ")
            result += ")"
        }
        return result
    }

    private static func intArgument(_ value: TemplateValue) -> Int? {
        switch value {
        case .int(let value, _): return Int(value)
        case .uint(let value, _): return Int(exactly: value)
        default: return nil
        }
    }

    private static func parseNumber(_ chars: [Unicode.Scalar], _ index: inout Int) -> Int? {
        var value: Int?
        while index < chars.count, let digit = Int(String(chars[index])), chars[index].isASCII {
            value = (value ?? 0) * 10 + digit
            if value! > 1_000_000 { return nil }
            index += 1
        }
        return value
    }

    static func format(_ value: TemplateValue, verb: Unicode.Scalar, flags: Flags = Flags()) -> String {
        formatArgument(value, verb: verb, flags: flags)
    }

    /// Go's `printArg`/`printValue`.
    static func formatArgument(_ value: TemplateValue, verb: Unicode.Scalar, flags: Flags, depth: Int = 0) -> String {
        if verb == "T" { return pad(value.typeName, flags) }
        switch value {
        case .null:
            if verb == "v" { return pad("<nil>", flags) }
            return depth == 0 ? "%!\(verb)(<nil>)" : pad("<nil>", flags)
        case .bool(let bool):
            if verb == "v" || verb == "t" { return pad(bool ? "true" : "false", flags) }
            return badVerb(value, verb)
        case .int(let int, _):
            return formatInteger(magnitude: int.magnitude, negative: int < 0, value: value, verb: verb, flags: flags)
        case .uint(let uint, _):
            return formatInteger(magnitude: uint, negative: false, value: value, verb: verb, flags: flags)
        case .duration(let nanoseconds):
            if verb == "v" || verb == "s" { return pad(GoDuration.string(nanoseconds), flags) }
            return formatInteger(magnitude: nanoseconds.magnitude, negative: nanoseconds < 0, value: value, verb: verb, flags: flags)
        case .float(let double, let isFloat32):
            return formatFloat(double, isFloat32: isFloat32, value: value, verb: verb, flags: flags)
        case .string(let string):
            return formatString(Array(string.utf8), value: value, verb: verb, flags: flags)
        case .bytes(let bytes):
            switch verb {
            case "s", "q", "x", "X": return formatString(bytes, value: value, verb: verb, flags: flags)
            default:
                return "[" + bytes.map { formatArgument(.uint(UInt64($0), .uint8), verb: verb, flags: flags, depth: depth + 1) }.joined(separator: " ") + "]"
            }
        case .list(let items, _):
            return "[" + items.map { formatArgument($0, verb: verb, flags: flags, depth: depth + 1) }.joined(separator: " ") + "]"
        case .map(let entries, let type):
            let keys = TemplateValue.orderedKeys(entries, type)
            return "map[" + keys.map { key in
                formatArgument(TemplateExecutor.mapKey(key, type), verb: verb, flags: flags, depth: depth + 1) + ":" + formatArgument(entries[key]!, verb: verb, flags: flags, depth: depth + 1)
            }.joined(separator: " ") + "]"
        case .time:
            if verb == "v" || verb == "s" { return pad(GoTime.string(value), flags) }
            return badVerb(value, verb)
        }
    }

    private static func badVerb(_ value: TemplateValue, _ verb: Unicode.Scalar) -> String {
        if case .null = value { return "%!\(verb)(<nil>)" }
        return "%!\(verb)(\(value.typeName)=\(format(value, verb: "v")))"
    }

    /// Pads to the width with spaces (or zeros when asked and allowed), counting runes.
    static func pad(_ text: String, _ flags: Flags, zerosAllowed: Bool = false) -> String {
        guard let width = flags.width else { return text }
        let count = text.unicodeScalars.count
        guard width > count else { return text }
        let padding = String(repeating: flags.zero && zerosAllowed ? "0" : " ", count: width - count)
        return flags.minus ? text + padding : padding + text
    }

    // MARK: Integers

    private static func formatInteger(magnitude: UInt64, negative: Bool, value: TemplateValue, verb: Unicode.Scalar, flags: Flags) -> String {
        var digits: String
        var prefix = ""
        switch verb {
        case "d", "v": digits = String(magnitude)
        case "b": digits = String(magnitude, radix: 2); if flags.sharp { prefix = "0b" }
        case "o", "O":
            digits = String(magnitude, radix: 8)
            if verb == "O" { prefix = "0o" } else if flags.sharp && digits != "0" { prefix = "0" }
        case "x": digits = String(magnitude, radix: 16); if flags.sharp { prefix = "0x" }
        case "X": digits = String(magnitude, radix: 16, uppercase: true); if flags.sharp { prefix = "0X" }
        case "c":
            return pad(String(Unicode.Scalar(UInt32(truncatingIfNeeded: magnitude)).map(Character.init) ?? "\u{FFFD}"), flags)
        case "q":
            let scalar = Unicode.Scalar(UInt32(truncatingIfNeeded: magnitude)) ?? "\u{FFFD}"
            return pad(GoQuote.quote(String(scalar), quote: "'", asciiOnly: flags.plus), flags)
        case "U":
            var text = "U+" + GoQuote.hex(UInt32(truncatingIfNeeded: magnitude), width: 4, uppercase: true)
            if flags.sharp, let scalar = Unicode.Scalar(UInt32(truncatingIfNeeded: magnitude)), GoQuote.isPrint(scalar) {
                text += " '\(scalar)'"
            }
            return pad(text, flags)
        case "e", "E", "f", "F", "g", "G", "s", "t":
            return badVerb(value, verb)
        default:
            return badVerb(value, verb)
        }
        if let precision = flags.precision {
            if precision == 0 && magnitude == 0 { digits = "" }
            if digits.count < precision { digits = String(repeating: "0", count: precision - digits.count) + digits }
        }
        let sign = negative ? "-" : flags.plus ? "+" : flags.space ? " " : ""
        let body = prefix + digits
        if flags.zero && flags.precision == nil, let width = flags.width, !flags.minus, width > sign.count + body.count {
            return sign + prefix + String(repeating: "0", count: width - sign.count - body.count) + digits
        }
        return pad(sign + body, flags)
    }

    // MARK: Strings

    private static func formatString(_ bytes: [UInt8], value: TemplateValue, verb: Unicode.Scalar, flags: Flags) -> String {
        var bytes = bytes
        switch verb {
        case "s", "v":
            if let precision = flags.precision {
                let text = String(decoding: bytes, as: UTF8.self)
                return pad(String(String.UnicodeScalarView(text.unicodeScalars.prefix(precision))), flags)
            }
            return pad(String(decoding: bytes, as: UTF8.self), flags)
        case "q":
            if let precision = flags.precision {
                bytes = Array(String(String.UnicodeScalarView(String(decoding: bytes, as: UTF8.self).unicodeScalars.prefix(precision))).utf8)
            }
            let text = String(decoding: bytes, as: UTF8.self)
            if flags.sharp && !text.contains("`") && text.unicodeScalars.allSatisfy({ $0 == "\t" || ($0 != "\u{FEFF}" && GoQuote.isPrint($0)) }) {
                return pad("`" + text + "`", flags)
            }
            return pad(GoQuote.quote(bytes: bytes, asciiOnly: flags.plus), flags)
        case "x", "X":
            if let precision = flags.precision, precision < bytes.count { bytes = Array(bytes.prefix(precision)) }
            var parts: [String] = []
            for byte in bytes {
                var hex = GoQuote.hex(UInt32(byte), width: 2, uppercase: verb == "X")
                if flags.sharp && (flags.space || parts.isEmpty) { hex = (verb == "X" ? "0X" : "0x") + hex }
                parts.append(hex)
            }
            return pad(parts.joined(separator: flags.space ? " " : ""), flags)
        default:
            return badVerb(value, verb)
        }
    }

    // MARK: Floats

    private static func formatFloat(_ double: Double, isFloat32: Bool, value: TemplateValue, verb: Unicode.Scalar, flags: Flags) -> String {
        var text: String
        switch verb {
        case "v", "g", "G":
            if let precision = flags.precision {
                text = cFormat(double, "%.\(precision == 0 ? 1 : precision)\(verb == "G" ? "G" : "g")")
            } else {
                text = shortest(double, isFloat32: isFloat32, uppercase: verb == "G")
            }
        case "e", "E", "f", "F":
            text = cFormat(double, "%.\(flags.precision ?? 6)\(verb == "F" ? "f" : String(verb))")
        default:
            return badVerb(value, verb)
        }
        if double.isNaN { return pad(flags.plus ? "+NaN" : flags.space ? " NaN" : "NaN", flags) }
        if double.isInfinite {
            // Go keeps the sign of an infinity: `+Inf`.
            return pad(double < 0 ? "-Inf" : flags.space && !flags.plus ? " Inf" : "+Inf", flags)
        }
        var sign = ""
        if text.hasPrefix("-") { sign = "-"; text.removeFirst() } else if flags.plus { sign = "+" } else if flags.space { sign = " " }
        if flags.zero, let width = flags.width, !flags.minus, width > sign.count + text.count {
            return sign + String(repeating: "0", count: width - sign.count - text.count) + text
        }
        return pad(sign + text, flags)
    }

    private static func cFormat(_ double: Double, _ format: String) -> String {
        String(format: format, double)
    }

    /// strconv.FormatFloat(f, 'g', -1, bits): the shortest digits that read back as the same
    /// number, in %e form when the exponent is < -4 or >= 6 (Go: `1e+06` for a float64 million).
    static func shortest(_ double: Double, isFloat32: Bool = false, uppercase: Bool = false) -> String {
        if double.isNaN { return "NaN" }
        if double.isInfinite { return double < 0 ? "-Inf" : "+Inf" }
        if double == 0 { return double.sign == .minus ? "-0" : "0" }
        let (digits, decimalPoint) = shortestDigits(double, isFloat32: isFloat32)
        let negative = double < 0
        let exponent = decimalPoint - 1
        var result = negative ? "-" : ""
        if exponent < -4 || exponent >= 6 {
            result += String(digits.first!)
            if digits.count > 1 { result += "." + digits.dropFirst() }
            let magnitude = abs(exponent)
            result += (uppercase ? "E" : "e") + (exponent < 0 ? "-" : "+") + (magnitude < 10 ? "0" : "") + String(magnitude)
            return result
        }
        if decimalPoint <= 0 {
            return result + "0." + String(repeating: "0", count: -decimalPoint) + digits
        }
        if decimalPoint >= digits.count {
            return result + digits + String(repeating: "0", count: decimalPoint - digits.count)
        }
        let split = digits.index(digits.startIndex, offsetBy: decimalPoint)
        return result + digits[..<split] + "." + digits[split...]
    }

    /// The shortest round-tripping decimal digits (no leading/trailing zeros) and the position of
    /// the decimal point relative to them, from Swift's shortest description.
    private static func shortestDigits(_ double: Double, isFloat32: Bool) -> (String, Int) {
        var text = isFloat32 ? Float(double.magnitude).description : double.magnitude.description
        var exponent = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            exponent = Int(text[text.index(after: e)...])!
            text = String(text[..<e])
        }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        let integer = String(parts[0])
        let fraction = parts.count > 1 ? String(parts[1]) : ""
        var digits = integer + fraction
        var decimalPoint = integer.count + exponent
        while digits.hasPrefix("0") {
            digits.removeFirst()
            decimalPoint -= 1
        }
        while digits.hasSuffix("0") { digits.removeLast() }
        return (digits, decimalPoint)
    }
}

/// Go's `time.Duration.String()`: `1h2m3.5s`, `1.5ms`, `0s`.
enum GoDuration {
    static func string(_ nanoseconds: Int64) -> String {
        if nanoseconds == 0 { return "0s" }
        let negative = nanoseconds < 0
        let magnitude = nanoseconds.magnitude
        var result: String
        if magnitude < 1_000_000_000 {
            // Sub-second: ns, µs or ms with a fraction.
            let (unit, scale): (String, UInt64) = magnitude < 1_000 ? ("ns", 1) : magnitude < 1_000_000 ? ("µs", 1_000) : ("ms", 1_000_000)
            result = fraction(magnitude, scale) + unit
        } else {
            let hours = magnitude / 3_600_000_000_000
            let minutes = magnitude / 60_000_000_000 % 60
            let seconds = magnitude % 60_000_000_000
            result = fraction(seconds, 1_000_000_000) + "s"
            if hours > 0 || minutes > 0 { result = "\(minutes)m" + result }
            if hours > 0 { result = "\(hours)h" + result }
        }
        return negative ? "-" + result : result
    }

    private static func fraction(_ value: UInt64, _ scale: UInt64) -> String {
        let whole = value / scale
        var rest = value % scale
        guard rest > 0 else { return String(whole) }
        var digits = ""
        var unit = scale / 10
        while rest > 0 && unit > 0 {
            digits += String(rest / unit)
            rest %= unit
            unit /= 10
        }
        return "\(whole).\(digits)"
    }
}

/// Go's `time.Time.String()`: `2006-01-02 15:04:05.999999999 -0700 MST`.
enum GoTime {
    static func string(_ value: TemplateValue) -> String {
        guard case .time(let seconds, let nanoseconds, let zone) = value else { return "" }
        let local = seconds + Int64(zone.offsetSeconds)
        let days = Int64((Double(local) / 86_400).rounded(.down))
        let secondOfDay = local - days * 86_400
        let (year, month, day) = civil(fromDays: days)
        var text = String(format: "%04d-%02d-%02d %02d:%02d:%02d", year, month, day, Int(secondOfDay / 3600), Int(secondOfDay / 60 % 60), Int(secondOfDay % 60))
        if nanoseconds > 0 {
            var fraction = String(format: "%09d", nanoseconds)
            while fraction.hasSuffix("0") { fraction.removeLast() }
            text += "." + fraction
        }
        let offset = abs(zone.offsetSeconds)
        text += " " + (zone.offsetSeconds < 0 ? "-" : "+") + String(format: "%02d%02d", offset / 3600, offset / 60 % 60) + " " + zone.name
        return text
    }

    /// Days since 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's algorithm).
    static func civil(fromDays days: Int64) -> (Int, Int, Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (Int(year), Int(month), Int(day))
    }
}
