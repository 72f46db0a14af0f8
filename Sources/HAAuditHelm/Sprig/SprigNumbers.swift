import Foundation

/// Sprig's arithmetic (numeric.go) and conversions. Integer arithmetic converts every argument
/// with `cast.ToInt64` and returns an int64 (wrapping on overflow, as Go does); the `f` forms
/// work in decimal (shopspring/decimal: `addf 1.5 2.2` is 3.7, not 3.7000000000000006) and
/// return a float64.
extension Sprig {
    static var mathFunctions: TemplateFunctions {
        aliases(table([
            fn("add1", 1) { c in int64(SprigValue.int64(c[0]) &+ 1) },
            fn("add", nil) { c in int64(c.args.reduce(Int64(0)) { $0 &+ SprigValue.int64($1) }) },
            fn("sub", 2) { c in int64(SprigValue.int64(c[0]) &- SprigValue.int64(c[1])) },
            fn("mul", nil, minimum: 1) { c in int64(c.args.dropFirst().reduce(SprigValue.int64(c[0])) { $0 &* SprigValue.int64($1) }) },
            fn("div", 2) { c throws(TemplateError) in
                let divisor = SprigValue.int64(c[1])
                guard divisor != 0 else { throw c.failure("runtime error: integer divide by zero") }
                return int64(SprigValue.int64(c[0]).dividedReportingOverflow(by: divisor).partialValue)
            },
            fn("mod", 2) { c throws(TemplateError) in
                let divisor = SprigValue.int64(c[1])
                guard divisor != 0 else { throw c.failure("runtime error: integer divide by zero") }
                return int64(SprigValue.int64(c[0]).remainderReportingOverflow(dividingBy: divisor).partialValue)
            },
            fn("max", nil, minimum: 1) { c in int64(c.args.map(SprigValue.int64).max()!) },
            fn("min", nil, minimum: 1) { c in int64(c.args.map(SprigValue.int64).min()!) },
            fn("maxf", nil, minimum: 1) { c in .float(c.args.map(SprigValue.float64).reduce(-.infinity) { goMax($0, $1) }) },
            fn("minf", nil, minimum: 1) { c in .float(c.args.map(SprigValue.float64).reduce(.infinity) { goMin($0, $1) }) },
            fn("add1f", 1) { c throws(TemplateError) in try decimal(c[0], [.int(1, .int)], c, +) },
            fn("addf", nil) { c throws(TemplateError) in try decimal(.float(0), c.args, c, +) },
            fn("subf", nil, minimum: 1) { c throws(TemplateError) in try decimal(c[0], Array(c.args.dropFirst()), c, -) },
            fn("mulf", nil, minimum: 1) { c throws(TemplateError) in try decimal(c[0], Array(c.args.dropFirst()), c, *) },
            fn("divf", nil, minimum: 1) { c throws(TemplateError) in try decimal(c[0], Array(c.args.dropFirst()), c, isDivision: true, /) },
            fn("floor", 1) { c in .float(SprigValue.float64(c[0]).rounded(.down)) },
            fn("ceil", 1) { c in .float(SprigValue.float64(c[0]).rounded(.up)) },
            fn("round", nil, minimum: 2) { c throws(TemplateError) in
                let places = try c.int(1)
                let roundOn = c.count > 2 ? try c.float(2) : 0.5
                let power = pow(10, Double(places))
                let digit = power * SprigValue.float64(c[0])
                let fraction = digit - digit.rounded(.towardZero)
                return .float((fraction >= roundOn ? digit.rounded(.up) : digit.rounded(.down)) / power)
            },
            fn("randInt", 2) { c throws(TemplateError) in
                let (low, high) = (try c.int(0), try c.int(1))
                guard high > low else { throw c.failure("invalid argument to Intn") }
                return .int(Int64(Int.random(in: low..<high)), .int)
            },
        ]), [("biggest", "max")])
    }

    static var conversionFunctions: TemplateFunctions {
        table([
            fn("atoi", 1) { c throws(TemplateError) in
                let text = try c.string(0)
                let digits = text.hasPrefix("+") || text.hasPrefix("-") ? text.dropFirst() : Substring(text)
                guard digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber) else { return .int(0, .int) }
                return .int(Int64(text) ?? 0, .int)
            },
            fn("int", 1) { c in .int(SprigValue.int64(c[0]), .int) },
            fn("int64", 1) { c in int64(SprigValue.int64(c[0])) },
            fn("float64", 1) { c in .float(SprigValue.float64(c[0])) },
            // `strconv.ParseInt(fmt.Sprint(v), 8, 64)`: the value's text read as octal.
            fn("toDecimal", 1) { c in int64(Int64(SprigValue.string(c[0]), radix: 8) ?? 0) },
        ])
    }

    static func int64(_ value: Int64) -> TemplateValue { .int(value, .int64) }

    /// `math.Max`/`math.Min`: NaN wins.
    private static func goMax(_ a: Double, _ b: Double) -> Double { a.isNaN || b.isNaN ? .nan : Swift.max(a, b) }
    private static func goMin(_ a: Double, _ b: Double) -> Double { a.isNaN || b.isNaN ? .nan : Swift.min(a, b) }

    /// shopspring/decimal arithmetic: each operand made a decimal from its float64's shortest
    /// text, combined left to right, read back as a float64.
    private static func decimal(
        _ first: TemplateValue, _ rest: [TemplateValue], _ c: SprigCall, isDivision: Bool = false,
        _ operation: (Decimal, Decimal) -> Decimal
    ) throws(TemplateError) -> TemplateValue {
        func make(_ value: TemplateValue) throws(TemplateError) -> Decimal {
            let number = SprigValue.float64(value)
            guard number.isFinite, let result = Decimal(string: "\(number)", locale: Locale(identifier: "en_US_POSIX")) else {
                throw c.failure("Cannot create a Decimal from \(number)")
            }
            return result
        }
        var result = try make(first)
        for value in rest {
            let operand = try make(value)
            if isDivision, operand.isZero {
                throw c.failure("decimal division by zero")
            }
            result = operation(result, operand)
        }
        return .float(Double(result.description) ?? .nan)
    }
}

/// Sprig's defaults and flow control (defaults.go, flow_control.go), and the reflection helpers.
extension Sprig {
    static var flowFunctions: TemplateFunctions {
        table([
            fn("default", nil, minimum: 1) { c in
                c.count < 2 || SprigValue.isEmpty(c[1]) ? c[0] : c[1]
            },
            fn("empty", 1) { c in .bool(SprigValue.isEmpty(c[0])) },
            fn("coalesce", nil) { c in c.args.first { !SprigValue.isEmpty($0) } ?? .null },
            fn("all", nil) { c in .bool(c.args.allSatisfy { !SprigValue.isEmpty($0) }) },
            fn("any", nil) { c in .bool(c.args.contains { !SprigValue.isEmpty($0) }) },
            fn("ternary", 3) { c throws(TemplateError) in try c.bool(2) ? c[0] : c[1] },
            fn("fail", 1) { c throws(TemplateError) in throw c.failure(try c.string(0)) },
            // Sprig's smoke-test function, in Helm's map too.
            fn("hello", 0) { _ in .string("Hello!") },
        ])
    }

    static var reflectionFunctions: TemplateFunctions {
        table([
            fn("typeOf", 1) { c in .string(c[0].typeName) },
            fn("typeIs", 2) { c throws(TemplateError) in .bool(try c.string(0) == c[1].typeName) },
            fn("typeIsLike", 2) { c throws(TemplateError) in
                let target = try c.string(0)
                return .bool(target == c[1].typeName || "*" + target == c[1].typeName)
            },
            fn("kindOf", 1) { c in .string(c[0].kindName) },
            fn("kindIs", 2) { c throws(TemplateError) in .bool(try c.string(0) == c[1].kindName) },
            fn("deepEqual", 2) { c in .bool(c[0] == c[1]) },
            fn("uuidv4", 0) { _ in .string(UUID().uuidString.lowercased()) },
        ])
    }

    /// No network during an audit: `getHostByName` resolves nothing.
    static var networkFunctions: TemplateFunctions {
        table([fn("getHostByName", 1) { c throws(TemplateError) in _ = try c.string(0); return .string("") }])
    }
}
