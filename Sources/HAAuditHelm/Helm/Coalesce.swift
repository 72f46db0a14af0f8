/// Helm's values coalescing (pkg/chart/common/util/coalesce.go): the user's values over the
/// chart's `values.yaml`, each subchart's defaults under its name, `global` copied down into
/// every subchart, a user null deleting the key. Go walks maps in random order; these functions
/// walk keys sorted so warnings come out in a stable order (the outcome is the same).
public struct Coalescer {
    /// Helm's log lines (`warning: skipped value for ...`), in the order they were produced.
    public private(set) var warnings: [String] = []

    public init() {}

    /// `CoalesceValues` (nulls delete) or, when `merge`, `MergeValues` (nulls kept).
    public mutating func coalesce(
        chart: HelmChart, values: [String: TemplateValue], merge: Bool = false
    ) throws(ValuesError) -> [String: TemplateValue] {
        var dest = values
        try coalesce(chart, &dest, prefix: "", merge: merge)
        return dest
    }

    /// `CoalesceTables(dst, src)` (or `MergeTables` when `merge`): src fills gaps in dst, deep.
    public mutating func coalesceTables(
        _ dst: inout [String: TemplateValue], _ src: [String: TemplateValue]?, merge: Bool = false
    ) {
        guard let src else { return }
        coalesceTables(&dst, src, prefix: "", merge: merge)
    }

    private mutating func coalesce(_ chart: HelmChart, _ dest: inout [String: TemplateValue], prefix: String, merge: Bool) throws(ValuesError) {
        coalesceValues(chart, &dest, prefix: prefix, merge: merge)
        try coalesceDependencies(chart, &dest, prefix: prefix, merge: merge)
    }

    private mutating func coalesceDependencies(_ chart: HelmChart, _ dest: inout [String: TemplateValue], prefix: String, merge: Bool) throws(ValuesError) {
        for subchart in chart.dependencies {
            let name = subchart.name
            var subValues: [String: TemplateValue] = [:]
            if let existing = dest[name] {
                guard let table = existing.table else {
                    throw ValuesError("type mismatch on \(name): \(Self.verbT(existing))")
                }
                subValues = table
            }
            let subPrefix = Self.join(prefix, chart.name)
            coalesceGlobals(into: &subValues, from: dest, prefix: subPrefix)
            try coalesce(subchart, &subValues, prefix: subPrefix, merge: merge)
            dest[name] = .map(subValues)
        }
    }

    /// Copies the parent's `global` into the subchart's: the parent wins for scalars, tables merge.
    private mutating func coalesceGlobals(into dest: inout [String: TemplateValue], from source: [String: TemplateValue], prefix: String) {
        var destGlobals: [String: TemplateValue] = [:]
        if let existing = dest[globalKey] {
            guard let table = existing.table else {
                warnings.append("warning: skipping globals because destination global is not a table.")
                return
            }
            destGlobals = table
        }
        var sourceGlobals: [String: TemplateValue] = [:]
        if let existing = source[globalKey] {
            guard let table = existing.table else {
                warnings.append("warning: skipping globals because source global is not a table.")
                return
            }
            sourceGlobals = table
        }
        for key in TemplateValue.sortedKeys(sourceGlobals) {
            let value = sourceGlobals[key]!
            if var parentTable = value.table {
                if let existing = destGlobals[key] {
                    guard let childTable = existing.table else {
                        warnings.append("Conflict: cannot merge map onto non-map for \"\(key)\". Skipping.")
                        continue
                    }
                    // Top-down: the parent's global table wins, the child's fills gaps (nulls
                    // are kept here; the subchart's own coalescing removes them).
                    coalesceTables(&parentTable, childTable, prefix: Self.join(prefix, key), merge: true)
                }
                destGlobals[key] = .map(parentTable)
            } else if destGlobals[key]?.table != nil {
                warnings.append("key \(key) is table. Skipping")
            } else {
                destGlobals[key] = value
            }
        }
        dest[globalKey] = .map(destGlobals)
    }

    /// The chart's defaults under the values given: the given values win.
    private mutating func coalesceValues(_ chart: HelmChart, _ values: inout [String: TemplateValue], prefix: String, merge: Bool) {
        let subPrefix = Self.join(prefix, chart.name)
        // A subchart's null defaults are dropped so they cannot shadow globals; the top chart's
        // own nulls are kept (helm#32530).
        let cleanDefaults = !merge && !prefix.isEmpty
        for key in TemplateValue.sortedKeys(chart.values) {
            let defaultValue = chart.values[key]!
            guard let given = values[key] else {
                if cleanDefaults {
                    if defaultValue == .null { continue }
                    values[key] = Self.withoutNulls(defaultValue)
                } else {
                    values[key] = defaultValue
                }
                continue
            }
            if given == .null && !merge {
                values.removeValue(forKey: key)
            } else if var givenTable = given.table {
                guard var defaultTable = defaultValue.table else {
                    if defaultValue != .null {
                        warnings.append("warning: skipped value for \(subPrefix).\(key): Not a table.")
                    }
                    continue
                }
                // The values of a subchart are merged (nulls kept) for its own coalescing to see.
                let mergeHere = merge || chart.dependencies.contains { $0.name == key }
                if !mergeHere && !prefix.isEmpty {
                    defaultTable = Self.withoutNulls(defaultTable)
                }
                coalesceTables(&givenTable, defaultTable, prefix: Self.join(subPrefix, key), merge: mergeHere)
                values[key] = .map(givenTable)
            }
        }
    }

    private mutating func coalesceTables(_ dst: inout [String: TemplateValue], _ src: [String: TemplateValue], prefix: String, merge: Bool) {
        var src = src
        // A null in dst is a user nullifying a default only when src had a value there.
        let sourceHadValue = Set(src.filter { $0.value != .null }.keys)
        for (key, value) in dst where value == .null {
            src[key] = .null
        }
        for key in TemplateValue.sortedKeys(src) {
            let value = src[key]!
            let fullKey = Self.join(prefix, key)
            guard let existing = dst[key] else {
                dst[key] = value
                continue
            }
            if existing == .null {
                if !merge && sourceHadValue.contains(key) { dst.removeValue(forKey: key) }
            } else if let sourceTable = value.table {
                if var destTable = existing.table {
                    coalesceTables(&destTable, sourceTable, prefix: fullKey, merge: merge)
                    dst[key] = .map(destTable)
                } else {
                    warnings.append("warning: cannot overwrite table with non table for \(fullKey) (\(GoFormat.string(value)))")
                }
            } else if existing.table != nil && value != .null {
                warnings.append("warning: destination for \(fullKey) is a table. Ignoring non-table value (\(GoFormat.string(value)))")
            }
        }
    }

    private static func withoutNulls(_ table: [String: TemplateValue]) -> [String: TemplateValue] {
        table.compactMapValues { $0 == .null ? nil : withoutNulls($0) }
    }

    private static func withoutNulls(_ value: TemplateValue) -> TemplateValue {
        value.table.map { .map(withoutNulls($0)) } ?? value
    }

    /// Go's `%t`: a bool prints as itself, anything else as `%!t(type=value)`.
    private static func verbT(_ value: TemplateValue) -> String {
        if case .bool(let flag) = value { return String(flag) }
        if value == .null { return "%!t(<nil>)" }
        return "%!t(\(value.typeName)=\(GoFormat.string(value)))"
    }

    private static func join(_ prefix: String, _ key: String) -> String {
        prefix.isEmpty ? key : "\(prefix).\(key)"
    }

    private let globalKey = "global"
}

extension TemplateValue {
    /// A `map[string]interface{}`: what Helm calls a table (typed maps are not).
    var table: [String: TemplateValue]? {
        if case .map(let entries, let type) = self, type == .interfaces { return entries }
        return nil
    }
}
