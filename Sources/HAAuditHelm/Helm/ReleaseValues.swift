import HAAuditModel

/// The values one release renders with, and where each came from: the chart's `values.yaml`
/// (and its subcharts'), then values files in order, then `--set` entries.
public enum ReleaseValues {
    /// The user's values for a release: values files merged in order, then `--set` entries
    /// (each with the location reports show for it), as `helm template -f ... --set ...` does.
    public static func user(
        files: [(path: String, bytes: [UInt8])], sets: [(entry: String, origin: SourceLocation)]
    ) throws(ValuesError) -> PositionedValues {
        var values = PositionedValues()
        for file in files {
            values = merge(values, try ValuesReader.read(file.bytes, path: file.path))
        }
        for set in sets {
            try SetValuesParser.parse(set.entry, into: &values, origin: set.origin)
        }
        return values
    }

    /// Helm's `mergeMaps` for values files given in order: a later file's tables merge into an
    /// earlier one's, anything else replaces.
    public static func merge(_ base: PositionedValues, _ overlay: PositionedValues) -> PositionedValues {
        var origins = base.origins
        for (path, location) in overlay.origins { origins[path] = location }
        let values = mergeMaps(base.values, overlay.values)
        return PositionedValues(values: values, origins: origins.filter { values.contains(path: $0.key) })
    }

    private static func mergeMaps(_ base: [String: TemplateValue], _ overlay: [String: TemplateValue]) -> [String: TemplateValue] {
        var result = base
        for (key, value) in overlay {
            if let overlayTable = value.table, let baseTable = result[key]?.table {
                result[key] = .map(mergeMaps(baseTable, overlayTable))
            } else {
                result[key] = value
            }
        }
        return result
    }

    /// The user's values coalesced with the chart's defaults (`CoalesceValues`), with the origin
    /// of every scalar of the result: the user's where the user wrote it, else the values.yaml
    /// that set the default (a parent chart's over a subchart's), and for a subchart's `global`
    /// the top-most chart's global that supplied it.
    public static func coalesce(chart: HelmChart, user: PositionedValues) throws(ValuesError) -> (values: PositionedValues, warnings: [String]) {
        var coalescer = Coalescer()
        let values = try coalescer.coalesce(chart: chart, values: user.values)
        var candidates = user.origins
        func addDefaults(_ chart: HelmChart, prefix: ValuePath) {
            for (path, location) in chart.valueOrigins where candidates[prefix + path] == nil {
                candidates[prefix + path] = location
            }
            for subchart in chart.dependencies { addDefaults(subchart, prefix: prefix + [.key(subchart.name)]) }
        }
        addDefaults(chart, prefix: [])
        var origins: ValueOrigins = [:]
        for path in scalarPaths(.map(values), prefix: []) {
            if let origin = globalOrigin(path, candidates) ?? candidates[path] { origins[path] = origin }
        }
        return (PositionedValues(values: values, origins: origins), coalescer.warnings)
    }

    /// A subchart's `sub.global.x` comes from the top-most chart that has `global.x`, as
    /// coalescing copies globals down with the parent winning.
    private static func globalOrigin(_ path: ValuePath, _ candidates: ValueOrigins) -> SourceLocation? {
        guard let globalIndex = path.firstIndex(of: .key("global")), globalIndex > 0 else { return nil }
        let rest = path[globalIndex...]
        for depth in 0...globalIndex {
            if let origin = candidates[Array(path[..<depth]) + rest] { return origin }
        }
        return nil
    }

    private static func scalarPaths(_ value: TemplateValue, prefix: ValuePath) -> [ValuePath] {
        switch value {
        case .map(let entries, _): entries.flatMap { scalarPaths($1, prefix: prefix + [.key($0)]) }
        case .list(let items, _): items.enumerated().flatMap { scalarPaths($1, prefix: prefix + [.index($0)]) }
        default: [prefix]
        }
    }
}
