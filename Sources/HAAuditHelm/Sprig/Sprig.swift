import Foundation

/// Sprig v3.3's function library as Helm ships it: every function but `env` and `expandenv`
/// (Helm removes them so that a chart cannot read the renderer's environment).
///
/// Arguments are checked the way Go's text/template converts them to a Go function's parameter
/// types, with one leniency: an `int` parameter takes any integer type (Go would reject an
/// `int64` there, but charts pass Sprig's `int64` results to `trunc` and `indent` and the value
/// fits).
///
/// What is not the real thing (the audit never uses the output for security):
/// - `genCA`, `genSelfSignedCert`, `genSignedCert`, `genPrivateKey` and their `WithKey` forms give
///   deterministic dummy PEM blocks of the right kind, not parseable keys or certificates.
/// - `bcrypt`, `htpasswd` (bcrypt) give a hash of the right shape that no verifier accepts.
/// - `getHostByName` resolves nothing (no network): it returns "".
public enum Sprig {
    /// The functions, in the local time zone of the process for `date`, `now`, `toDate`.
    public static var functions: TemplateFunctions { functions(localZone: .current) }

    /// Functions whose Go form changes a map argument in place (Go maps are references), by the
    /// index of that argument: each returns the changed map, and a template sees the change
    /// through the variable or field it passed (`$_ := set $d "k" 1` then `$d.k`) only when the
    /// executor stores the result back there.
    public static let mutatedArgument: [String: Int] = [
        "set": 0, "unset": 0, "merge": 0, "mustMerge": 0, "mergeOverwrite": 0, "mustMergeOverwrite": 0,
    ]

    /// The functions with `localZone` as Go's `time.Local` (the conformance rows run with UTC).
    /// Each call makes a new table (`derivePassword` counts its calls per table).
    public static func functions(localZone: TimeZone) -> TemplateFunctions {
        var all = TemplateFunctions()
        for family in [
            stringFunctions, listFunctions, dictFunctions, mathFunctions, conversionFunctions,
            flowFunctions, encodingFunctions, cryptoFunctions, aesFunctions, passwordFunctions, regexFunctions, semverFunctions,
            dateFunctions(local: localZone), pathFunctions, reflectionFunctions, networkFunctions,
        ] {
            all.merge(family) { first, _ in first }
        }
        return all
    }
}

/// One call's arguments, with Go's parameter-type checks.
struct SprigCall {
    let name: String
    let args: [TemplateValue]

    var count: Int { args.count }
    subscript(index: Int) -> TemplateValue { args[index] }

    /// A `string` parameter: only a string converts.
    func string(_ index: Int) throws(TemplateError) -> String {
        if case .string(let text) = args[index] { return text }
        throw wrongType("string", args[index])
    }

    /// An `int` parameter: any integer type (see `Sprig`'s leniency note).
    func int(_ index: Int) throws(TemplateError) -> Int {
        switch args[index] {
        case .int(let value, _): return Int(value)
        case .uint(let value, _) where value <= UInt64(Int.max): return Int(value)
        default: throw wrongType("int", args[index])
        }
    }

    /// A `float64` parameter: a float, or an integer constant converted.
    func float(_ index: Int) throws(TemplateError) -> Double {
        switch args[index] {
        case .float(let value, _): return value
        case .int(let value, _): return Double(value)
        case .uint(let value, _): return Double(value)
        default: throw wrongType("float64", args[index])
        }
    }

    func bool(_ index: Int) throws(TemplateError) -> Bool {
        if case .bool(let value) = args[index] { return value }
        throw wrongType("bool", args[index])
    }

    func wrongType(_ expected: String, _ value: TemplateValue) -> TemplateError {
        if value == .null { return TemplateError("invalid value; expected \(expected)") }
        return TemplateError("wrong type for value; expected \(expected); got \(value.typeName)")
    }

    /// A failure the Go function returns (or panics with): the executor adds "error calling".
    func failure(_ message: String) -> TemplateError { TemplateError(message) }
}

extension Sprig {
    typealias Body = @Sendable (SprigCall) throws(TemplateError) -> TemplateValue

    /// A function taking exactly `arity` arguments (nil: variadic, at least `minimum`); the
    /// executor checks the count before the call, as Go does from the signature.
    static func fn(_ name: String, _ arity: Int?, minimum: Int = 0, _ body: @escaping Body) -> (String, TemplateFunction) {
        let checked: TemplateFunction.Arity = arity.map { .exactly($0) } ?? .atLeast(minimum)
        return (name, TemplateFunction(arity: checked) { (args: [TemplateValue]) throws(TemplateError) -> TemplateValue in
            try body(SprigCall(name: name, args: args))
        })
    }

    static func table(_ entries: [(String, TemplateFunction)]) -> TemplateFunctions {
        Dictionary(entries) { first, _ in first }
    }

    /// Names that Sprig registers twice (`tuple` = `list`, `push` = `append`).
    static func aliases(_ functions: TemplateFunctions, _ pairs: [(String, String)]) -> TemplateFunctions {
        var result = functions
        for (alias, name) in pairs { result[alias] = functions[name] }
        return result
    }
}

/// Sprig's lenient conversions (spf13/cast, `fmt.Sprint`) and Go's emptiness.
enum SprigValue {
    /// `cast.ToInt64`: integers, floats truncated, bools, strings in Go's base-prefixed syntax
    /// (a trailing `.0` allowed); anything else (or an unparsable string) is 0.
    static func int64(_ value: TemplateValue) -> Int64 {
        switch value {
        case .int(let number, _): return number
        case .uint(let number, _): return Int64(truncatingIfNeeded: number)
        // Out of range, Go's conversion gives the minimum int64 on amd64.
        case .float(let number, _): return number.isFinite && abs(number) < 9.2e18 ? Int64(number) : Int64.min
        case .bool(let flag): return flag ? 1 : 0
        case .duration(let nanoseconds): return nanoseconds
        case .string(let text): return parseGoInt(trimZeroDecimal(text)) ?? 0
        default: return 0
        }
    }

    /// `cast.ToFloat64`: numbers, bools, strings parsed as floats; anything else is 0.
    static func float64(_ value: TemplateValue) -> Double {
        switch value {
        case .int(let number, _): return Double(number)
        case .uint(let number, _): return Double(number)
        case .float(let number, _): return number
        case .bool(let flag): return flag ? 1 : 0
        case .duration(let nanoseconds): return Double(nanoseconds)
        case .string(let text): return parseGoFloat(text) ?? 0
        default: return 0
        }
    }

    /// cast drops a zero fraction before parsing an integer ("10.00" is 10, "10.5" fails).
    private static func trimZeroDecimal(_ text: String) -> String {
        guard let dot = text.firstIndex(of: "."), text[text.index(after: dot)...].allSatisfy({ $0 == "0" }),
              dot != text.startIndex else { return text }
        return String(text[..<dot])
    }

    /// `strconv.ParseInt(s, 0, 64)`: sign, `0x`/`0o`/`0b`/leading-`0` octal prefixes, `_` between digits.
    static func parseGoInt(_ text: String) -> Int64? {
        var body = Substring(text)
        var negative = false
        if let sign = body.first, sign == "+" || sign == "-" {
            negative = sign == "-"
            body = body.dropFirst()
        }
        var radix = 10
        let lower = body.lowercased()
        if lower.hasPrefix("0x") { radix = 16; body = body.dropFirst(2) }
        else if lower.hasPrefix("0o") { radix = 8; body = body.dropFirst(2) }
        else if lower.hasPrefix("0b") { radix = 2; body = body.dropFirst(2) }
        else if body.count > 1, body.first == "0" { radix = 8; body = body.dropFirst() }
        if radix != 10 || text.contains("_") {
            if body.hasPrefix("_") { body = body.dropFirst() }
            if body.hasSuffix("_") || body.contains("__") { return nil }
            body = Substring(body.replacingOccurrences(of: "_", with: ""))
        }
        guard !body.isEmpty, let magnitude = UInt64(body, radix: radix) else { return nil }
        if negative { return magnitude <= UInt64(Int64.max) + 1 ? Int64(truncatingIfNeeded: 0 &- magnitude) : nil }
        return magnitude <= UInt64(Int64.max) ? Int64(magnitude) : nil
    }

    /// `strconv.ParseFloat(s, 64)`: decimal, exponent, `Inf`/`NaN` spellings.
    static func parseGoFloat(_ text: String) -> Double? {
        switch text.lowercased() {
        case "inf", "+inf", "infinity", "+infinity": return .infinity
        case "-inf", "-infinity": return -.infinity
        case "nan": return .nan
        default: break
        }
        guard !text.isEmpty, text.allSatisfy({ "0123456789+-.eExXpPabcdefABCDEF_".contains($0) }) else { return nil }
        return Double(text)
    }

    /// Sprig's `strval`: a string as is, bytes as text, anything else as `fmt.Sprintf("%v")`.
    static func string(_ value: TemplateValue) -> String {
        switch value {
        case .string(let text): text
        case .bytes(let bytes): String(decoding: bytes, as: UTF8.self)
        default: GoFormat.string(value)
        }
    }

    /// Sprig's `empty`: nil, zero numbers, false, empty strings/lists/maps; a time never is.
    static func isEmpty(_ value: TemplateValue) -> Bool {
        switch value {
        case .time: false
        case .list(let items, _): items.isEmpty
        default: !value.isTruthy
        }
    }

    /// The elements of a slice or array (nil for anything else).
    static func items(_ value: TemplateValue) -> [TemplateValue]? {
        switch value {
        case .list(let items, _): items
        case .bytes(let bytes): bytes.map { .uint(UInt64($0), .uint8) }
        default: nil
        }
    }

    /// Sprig's `strslice`: a list's non-nil elements as strings; nil is empty; a scalar one string.
    static func strings(_ value: TemplateValue) -> [String] {
        if let items = items(value) { return items.filter { $0 != .null }.map(string) }
        if value == .null { return [] }
        return [string(value)]
    }

    static func stringList(_ strings: [String]) -> TemplateValue {
        .list(strings.map { .string($0) }, type: .strings)
    }

    /// Lower-case hexadecimal, two digits a byte.
    static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef")
        var out = ""
        out.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 15)])
        }
        return out
    }
}
