/// Sprig's list functions (list.go). A list argument is any slice or array; results are
/// `[]interface{}` unless Sprig keeps the input's type (`slice`). The plain forms panic where the
/// `must` forms return an error; text/template turns both into an execution error, so they
/// share a body here.
extension Sprig {
    /// The most elements `until`, `untilStep`, `seq` and `chunk` build: bounds a hostile chart.
    static let maximumListLength = 1 << 20

    static var listFunctions: TemplateFunctions {
        var functions = table([
            fn("list", nil) { c in .list(c.args) },
            fn("until", 1) { c throws(TemplateError) in
                let count = try c.int(0)
                return try intList(untilStep(0, count, count < 0 ? -1 : 1, c))
            },
            fn("untilStep", 3) { c throws(TemplateError) in try intList(untilStep(try c.int(0), try c.int(1), try c.int(2), c)) },
            fn("seq", nil) { c throws(TemplateError) in
                let numbers = try (0..<c.count).map { (index: Int) throws(TemplateError) -> Int in try c.int(index) }
                return .string(try seq(numbers, c).map(String.init).joined(separator: " "))
            },
            fn("concat", nil) { c throws(TemplateError) in
                var result: [TemplateValue] = []
                for value in c.args {
                    guard let items = SprigValue.items(value) else { throw c.failure("Cannot concat type \(value.kindName) as list") }
                    result += items
                }
                return .list(result)
            },
        ])
        for (name, arity, body) in mustPairs {
            let entry = fn(name, arity, minimum: 1, body)
            functions[name] = entry.1
            functions["must" + name.prefix(1).uppercased() + name.dropFirst()] = entry.1
        }
        return aliases(functions, [("tuple", "list"), ("append", "push"), ("mustAppend", "mustPush")])
    }

    /// The functions that come as a pair, `name` and `mustName`.
    private static var mustPairs: [(String, Int?, Body)] {
        [
            ("push", 2, { c throws(TemplateError) in .list(try items(c, 0, "push") + [c[1]]) }),
            ("prepend", 2, { c throws(TemplateError) in .list([c[1]] + (try items(c, 0, "prepend"))) }),
            ("first", 1, { c throws(TemplateError) in try items(c, 0, "find first").first ?? .null }),
            ("last", 1, { c throws(TemplateError) in try items(c, 0, "find last").last ?? .null }),
            ("rest", 1, { c throws(TemplateError) in
                let list = try items(c, 0, "find rest")
                return list.isEmpty ? c[0] : .list(Array(list.dropFirst()))
            }),
            ("initial", 1, { c throws(TemplateError) in
                let list = try items(c, 0, "find initial")
                return list.isEmpty ? c[0] : .list(Array(list.dropLast()))
            }),
            ("reverse", 1, { c throws(TemplateError) in .list(try items(c, 0, "find reverse").reversed()) }),
            ("compact", 1, { c throws(TemplateError) in .list(try items(c, 0, "compact").filter { !SprigValue.isEmpty($0) }) }),
            ("uniq", 1, { c throws(TemplateError) in
                // Scalars by a typed key (linear), the rest by comparison (quadratic, as Sprig).
                var (kept, keys, others): ([TemplateValue], Set<String>, [TemplateValue]) = ([], [], [])
                for item in try items(c, 0, "find uniq") {
                    if let key = scalarKey(item) {
                        if keys.insert(key).inserted { kept.append(item) }
                    } else if !others.contains(item) {
                        others.append(item)
                        kept.append(item)
                    }
                }
                return .list(kept)
            }),
            ("without", nil, { c throws(TemplateError) in
                let omit = Array(c.args.dropFirst())
                return .list(try items(c, 0, "find without").filter { !omit.contains($0) })
            }),
            ("has", 2, { c throws(TemplateError) in
                if c[1] == .null { return .bool(false) }
                return .bool(try items(c, 1, "find has").contains(c[0]))
            }),
            ("slice", nil, { c throws(TemplateError) in
                let list = try items(c, 0, "slice")
                let start = c.count > 1 ? Int(SprigValue.int64(c[1])) : 0
                let end = c.count > 2 ? Int(SprigValue.int64(c[2])) : list.count
                guard start >= 0, start <= end, end <= list.count else {
                    throw c.failure("reflect: slice index out of range")
                }
                guard case .list(_, var type) = c[0] else { return .list(Array(list[start..<end])) }
                type.arrayLength = nil
                return .list(Array(list[start..<end]), type: type)
            }),
            ("chunk", 2, { c throws(TemplateError) in
                let size = try c.int(0)
                let list = try items(c, 1, "chunk")
                guard size > 0 else { throw c.failure("runtime error: integer divide by zero") }
                let chunks = stride(from: 0, to: list.count, by: size).map {
                    TemplateValue.list(Array(list[$0..<($0 + min(size, list.count - $0))]))
                }
                return .list(chunks, type: .init(element: "[]interface {}", arrayLength: nil))
            }),
        ]
    }

    /// The list argument at `index`, or Sprig's "Cannot <what> on type <kind>".
    private static func items(_ c: SprigCall, _ index: Int, _ what: String) throws(TemplateError) -> [TemplateValue] {
        if let items = SprigValue.items(c[index]) { return items }
        throw c.failure("Cannot \(what) on type \(c[index].kindName)")
    }

    /// A key equal for equal scalars of the same Go type (Go's DeepEqual: 1 and 1.0 differ).
    private static func scalarKey(_ value: TemplateValue) -> String? {
        switch value {
        case .string(let text): "s" + text
        case .int(let number, let type): "i\(type.rawValue):\(number)"
        case .uint(let number, let type): "u\(type.rawValue):\(number)"
        case .bool(let flag): flag ? "t" : "f"
        case .null: "n"
        default: nil
        }
    }

    static func intList(_ numbers: [Int]) -> TemplateValue {
        .list(numbers.map { .int(Int64($0), .int) }, type: .init(element: "int", arrayLength: nil))
    }

    static func untilStep(_ start: Int, _ stop: Int, _ step: Int, _ c: SprigCall) throws(TemplateError) -> [Int] {
        guard step != 0, (stop < start) == (step < 0), start != stop else { return [] }
        // In floating point: the distance between extreme ints does not fit an Int.
        guard ((Double(stop) - Double(start)) / Double(step)).rounded(.up) <= Double(maximumListLength) else {
            throw c.failure("\(c.name): more than \(maximumListLength) elements")
        }
        var numbers: [Int] = []
        var current = start
        while step > 0 ? current < stop : current > stop {
            numbers.append(current)
            let (next, overflow) = current.addingReportingOverflow(step)
            if overflow { break }
            current = next
        }
        return numbers
    }

    /// GNU seq's argument forms: `seq LAST`, `seq FIRST LAST`, `seq FIRST INCREMENT LAST`.
    static func seq(_ numbers: [Int], _ c: SprigCall) throws(TemplateError) -> [Int] {
        switch numbers.count {
        case 1:
            let increment = numbers[0] < 1 ? -1 : 1
            return try untilStep(1, numbers[0] &+ increment, increment, c)
        case 2:
            let step = numbers[1] < numbers[0] ? -1 : 1
            return try untilStep(numbers[0], numbers[1] &+ step, step, c)
        case 3:
            let (start, step, end) = (numbers[0], numbers[1], numbers[2])
            if end < start, step > 0 { return [] }
            return try untilStep(start, end &+ (end < start ? -1 : 1), step, c)
        default:
            return []
        }
    }
}
