/// Go's `time.Duration` text (`String`, `ParseDuration`) and Helm's duration helpers'
/// conversion of a value to a duration (pkg/engine/funcs.go).
enum HelmDuration {
    static let second: Int64 = 1_000_000_000
    /// Whole seconds that fit in a Duration (int64 nanoseconds).
    static let maxSeconds: Int64 = Int64.max / second
    static let maxSecondsFloat = Double(Int64.max) / Double(second)

    /// Helm's `toDuration`: a Duration as is; a number as seconds; a string as seconds when it is
    /// a number, else as Go duration text. Nil is zero; anything else, or out of range, fails.
    static func from(_ value: TemplateValue) throws(TemplateError) -> Int64 {
        switch value {
        case .null: return 0
        case .duration(let nanoseconds): return nanoseconds
        case .int(let seconds, _):
            guard abs(seconds) <= maxSeconds else { throw TemplateError("duration seconds overflow: \(seconds)") }
            return seconds * second
        case .uint(let seconds, _):
            guard seconds <= UInt64(maxSeconds) else { throw TemplateError("duration seconds overflow: \(seconds)") }
            return Int64(seconds) * second
        case .float(let seconds, _):
            return try fromSeconds(seconds)
        case .string(let text):
            let trimmed = text.helmTrimmedSpaces
            guard !trimmed.isEmpty else { throw TemplateError("empty duration string") }
            if let seconds = Double(trimmed), trimmed.allSatisfy({ $0.isNumber || "+-.eE".contains($0) }) {
                return try fromSeconds(seconds)
            }
            guard let nanoseconds = parse(trimmed) else { throw TemplateError("time: invalid duration \"\(trimmed)\"") }
            return nanoseconds
        default:
            throw TemplateError("unsupported duration type \(value.typeName)")
        }
    }

    private static func fromSeconds(_ seconds: Double) throws(TemplateError) -> Int64 {
        guard seconds.isFinite, abs(seconds) <= maxSecondsFloat else {
            throw TemplateError("duration seconds out of range: \(GoFormat.shortest(seconds))")
        }
        return Int64((seconds * Double(second)).rounded(.towardZero))
    }

    /// `time.ParseDuration`: `[-+]` then one or more `<decimal><unit>` (`1h30m`, `1.5s`, `300ms`).
    static func parse(_ text: String) -> Int64? {
        var rest = Substring(text)
        var negative = false
        if rest.first == "-" || rest.first == "+" {
            negative = rest.first == "-"
            rest = rest.dropFirst()
        }
        if rest == "0" { return 0 }
        guard !rest.isEmpty else { return nil }
        let units: [(String, Double)] = [
            ("ns", 1), ("us", 1e3), ("µs", 1e3), ("μs", 1e3), ("ms", 1e6), ("s", 1e9), ("m", 60e9), ("h", 3600e9),
        ]
        var total = 0.0
        while !rest.isEmpty {
            let number = rest.prefix { $0.isASCIIDigitCharacter || $0 == "." }
            guard !number.isEmpty, number != ".", let value = Double(number) else { return nil }
            rest = rest.dropFirst(number.count)
            let unit = rest.prefix { !$0.isASCIIDigitCharacter && $0 != "." }
            guard let scale = units.first(where: { $0.0 == unit })?.1 else { return nil }
            rest = rest.dropFirst(unit.count)
            total += value * scale
        }
        guard total <= Double(Int64.max) else { return nil }
        return Int64(total.rounded()) * (negative ? -1 : 1)
    }

    /// `Duration.Round(m)`: halves away from zero.
    static func round(_ value: Int64, to multiple: Int64) -> Int64 {
        guard multiple > 0 else { return value }
        let remainder = value % multiple
        if value < 0 {
            let r = -remainder
            return r + r < multiple ? value + r : value - multiple + r
        }
        return remainder + remainder < multiple ? value - remainder : value + multiple - remainder
    }

    /// `Duration.Truncate(m)`: toward zero.
    static func truncate(_ value: Int64, to multiple: Int64) -> Int64 {
        multiple > 0 ? value - value % multiple : value
    }
}

extension Character {
    fileprivate var isASCIIDigitCharacter: Bool { ("0"..."9").contains(self) }
}

extension String {
    /// Without leading and trailing Unicode white space (Go's `strings.TrimSpace`).
    var helmTrimmedSpaces: String {
        // Most text has nothing to trim: ASCII ends that are not blanks say so without
        // Character's Unicode properties (costly on first use).
        func isASCIIVisible(_ byte: UInt8?) -> Bool { byte.map { $0 > 0x20 && $0 < 0x7F } ?? false }
        if isEmpty || (isASCIIVisible(utf8.first) && isASCIIVisible(utf8.last)) { return self }
        return String(drop { $0.isWhitespace }.reversed().drop { $0.isWhitespace }.reversed())
    }
}
