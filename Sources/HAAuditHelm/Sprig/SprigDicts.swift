/// Sprig's dict functions (dict.go). Go maps are references: `set`, `unset`, `merge` change the
/// map they are given and templates rely on it (`$_ := set $d "k" 1` then `$d.k`). Values here
/// are copies, so these functions return the changed map; making the change visible through
/// other references to the map is the executor's business.
extension Sprig {
    static var dictFunctions: TemplateFunctions {
        table([
            fn("dict", nil) { c in
                var entries: [String: TemplateValue] = [:]
                for index in stride(from: 0, to: c.count, by: 2) {
                    entries[SprigValue.string(c[index])] = index + 1 < c.count ? c[index + 1] : .string("")
                }
                return .map(entries)
            },
            fn("get", 2) { c throws(TemplateError) in (try map(c, 0))[try c.string(1)] ?? .string("") },
            fn("set", 3) { c throws(TemplateError) in
                var entries = try writableMap(c, 0)
                entries[try c.string(1)] = c[2]
                return .map(entries, type: mapType(c[0]))
            },
            fn("unset", 2) { c throws(TemplateError) in
                var entries = try map(c, 0)
                entries[try c.string(1)] = nil
                return .map(entries, type: mapType(c[0]))
            },
            fn("hasKey", 2) { c throws(TemplateError) in .bool((try map(c, 0))[try c.string(1)] != nil) },
            fn("pluck", nil, minimum: 1) { c throws(TemplateError) in
                let key = try c.string(0)
                var found: [TemplateValue] = []
                for index in 1..<c.count { if let value = (try map(c, index))[key] { found.append(value) } }
                return .list(found)
            },
            // Go's map order is random; sorted is one of the orders it may give.
            fn("keys", nil) { c throws(TemplateError) in
                var keys: [String] = []
                for index in 0..<c.count { keys += TemplateValue.sortedKeys(try map(c, index)) }
                return SprigValue.stringList(keys)
            },
            fn("values", 1) { c throws(TemplateError) in
                let entries = try map(c, 0)
                return .list(TemplateValue.sortedKeys(entries).map { entries[$0]! })
            },
            fn("pick", nil, minimum: 1) { c throws(TemplateError) in
                let entries = try map(c, 0)
                var picked: [String: TemplateValue] = [:]
                for index in 1..<c.count { let key = try c.string(index); picked[key] = entries[key] }
                return .map(picked)
            },
            fn("omit", nil, minimum: 1) { c throws(TemplateError) in
                var entries = try map(c, 0)
                for index in 1..<c.count { entries[try c.string(index)] = nil }
                return .map(entries)
            },
            fn("merge", nil, minimum: 1) { c throws(TemplateError) in try merge(c, overwrite: false) },
            fn("mustMerge", nil, minimum: 1) { c throws(TemplateError) in try merge(c, overwrite: false) },
            fn("mergeOverwrite", nil, minimum: 1) { c throws(TemplateError) in try merge(c, overwrite: true) },
            fn("mustMergeOverwrite", nil, minimum: 1) { c throws(TemplateError) in try merge(c, overwrite: true) },
            // Values are copies already.
            fn("deepCopy", 1) { c in c[0] },
            fn("mustDeepCopy", 1) { c in c[0] },
            fn("dig", nil, minimum: 3) { c throws(TemplateError) in
                // Sprig asserts the last argument is a map: nil is a panic there.
                guard case .map(var current, _) = c[c.count - 1] else {
                    throw c.failure("interface conversion: interface {} is \(c[c.count - 1].typeName), not map[string]interface {}")
                }
                let keys = try (0..<(c.count - 2)).map { (index: Int) throws(TemplateError) -> String in try c.string(index) }
                for (position, key) in keys.enumerated() {
                    guard let step = current[key] else { return c[c.count - 2] }
                    if position == keys.count - 1 { return step }
                    guard case .map(let next, _) = step else {
                        throw c.failure("interface conversion: interface {} is \(step.typeName), not map[string]interface {}")
                    }
                    current = next
                }
                return c[c.count - 2]
            },
        ])
    }

    /// A `map[string]interface{}` parameter; nil converts to a nil map, which reads as empty
    /// (`hasKey .Values.missing "x"` is false).
    private static func map(_ c: SprigCall, _ index: Int) throws(TemplateError) -> [String: TemplateValue] {
        if case .map(let entries, _) = c[index] { return entries }
        if c[index] == .null { return [:] }
        throw c.wrongType("map[string]interface {}", c[index])
    }

    /// A map parameter the function writes to: a nil map is Go's panic.
    private static func writableMap(_ c: SprigCall, _ index: Int) throws(TemplateError) -> [String: TemplateValue] {
        if c[index] == .null { throw c.failure("assignment to entry in nil map") }
        return try map(c, index)
    }

    private static func mapType(_ value: TemplateValue) -> TemplateValue.MapType {
        if case .map(_, let type) = value { return type }
        return .interfaces
    }

    /// `mergo.Merge(&dst, src)` for each source in turn (`WithOverride` when `overwrite`): nested
    /// maps merge key by key; otherwise a source value fills a missing or empty destination, or
    /// (overwriting) replaces any destination value.
    private static func merge(_ c: SprigCall, overwrite: Bool) throws(TemplateError) -> TemplateValue {
        var destination = try writableMap(c, 0)
        for index in 1..<c.count {
            merge(into: &destination, try map(c, index), overwrite: overwrite)
        }
        return .map(destination, type: mapType(c[0]))
    }

    static func merge(into destination: inout [String: TemplateValue], _ source: [String: TemplateValue], overwrite: Bool) {
        for (key, value) in source {
            let existing = destination[key]
            if case .map(var target, let type)? = existing, case .map(let nested, _) = value {
                merge(into: &target, nested, overwrite: overwrite)
                destination[key] = .map(target, type: type)
            } else if existing == nil || SprigValue.isEmpty(existing!) || overwrite {
                destination[key] = value
            }
        }
    }
}
