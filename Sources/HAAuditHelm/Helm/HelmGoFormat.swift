/// Go's `%v` and `%t` for the values Helm's messages print (warnings, errors). Covers Helm's
/// value shapes; the template printer has its own full implementation.
enum HelmGoFormat {
    static func verbV(_ value: TemplateValue) -> String {
        switch value {
        case .null: "<nil>"
        case .bool(let flag): String(flag)
        case .int(let number, _): String(number)
        case .uint(let number, _): String(number)
        case .float(let number, _): formatG(number)
        case .string(let text): text
        case .list(let items, _): "[" + items.map(verbV).joined(separator: " ") + "]"
        case .map(let entries, _):
            "map[" + TemplateValue.sortedKeys(entries).map { "\($0):\(verbV(entries[$0]!))" }.joined(separator: " ") + "]"
        case .duration(let nanoseconds): HelmDuration.string(nanoseconds)
        case .time(let seconds, _, _): String(seconds)
        case .bytes(let bytes): "[" + bytes.map(String.init).joined(separator: " ") + "]"
        }
    }

    /// `%t`: a bool prints as itself, anything else as `%!t(type=value)`.
    static func verbT(_ value: TemplateValue) -> String {
        if case .bool(let flag) = value { return String(flag) }
        if value == .null { return "%!t(<nil>)" }
        return "%!t(\(value.typeName)=\(verbV(value)))"
    }

    /// `strconv.FormatFloat(f, 'g', -1, 64)` (also what `%v` prints): the shortest digits, in
    /// exponent form when the exponent is below -4 or at least 6 (`1e+06`, `1.5e-05`).
    static func formatG(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-Inf" : "+Inf" }
        let (negative, digits, exponent) = shortestDigits(value)
        let sign = negative ? "-" : ""
        let eprec = 6
        if exponent < -4 || exponent >= eprec {
            var mantissa = String(digits.first!)
            if digits.count > 1 { mantissa += "." + digits.dropFirst() }
            let magnitude = abs(exponent)
            return sign + mantissa + "e" + (exponent < 0 ? "-" : "+") + (magnitude < 10 ? "0" : "") + String(magnitude)
        }
        return sign + plainDecimal(digits, exponent)
    }

    /// `digits` with the decimal point after `exponent + 1` digits, padded with zeros.
    static func plainDecimal(_ digits: String, _ exponent: Int) -> String {
        if exponent < 0 { return "0." + String(repeating: "0", count: -exponent - 1) + digits }
        if digits.count <= exponent + 1 { return digits + String(repeating: "0", count: exponent + 1 - digits.count) }
        let split = digits.index(digits.startIndex, offsetBy: exponent + 1)
        return digits[..<split] + "." + digits[split...]
    }

    /// The shortest decimal digits that read back as `value` (Swift's `description` finds them),
    /// and the decimal exponent of the first digit.
    static func shortestDigits(_ value: Double) -> (negative: Bool, digits: String, exponent: Int) {
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
}
