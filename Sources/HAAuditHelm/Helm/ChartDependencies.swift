/// Helm's dependency processing before rendering (pkg/chart/v2/util/dependencies.go): aliases
/// rename subcharts, `tags` and `condition` drop disabled ones, `import-values` copy a
/// subchart's tables into its parent's defaults.
///
/// Version ranges are not checked: a vendored subchart of the declared name is taken whatever
/// its version (Helm skips one outside the range, and then reports it missing).
public enum ChartDependencies {
    /// The chart as it renders with `values` (the user's, before coalescing), and Helm's warnings.
    public static func process(_ chart: HelmChart, values: [String: TemplateValue]) throws(ValuesError) -> (chart: HelmChart, warnings: [String]) {
        var chart = chart
        var warnings: [String] = []
        try processEnabled(&chart, values: values, path: "", warnings: &warnings)
        try processImports(&chart, warnings: &warnings)
        return (chart, warnings)
    }

    private static func processEnabled(_ chart: inout HelmChart, values: [String: TemplateValue], path: String, warnings: inout [String]) throws(ValuesError) {
        var requirements = chart.metadata.dependencies
        guard !requirements.isEmpty else { return }
        // Subcharts no requirement names stay; each requirement takes a copy of its subchart,
        // renamed to its alias (two aliases of one chart make two subcharts).
        var subcharts = chart.dependencies.filter { existing in !requirements.contains { $0.name == existing.name } }
        for index in requirements.indices {
            if var subchart = chart.dependencies.first(where: { $0.name == requirements[index].name }) {
                if let alias = requirements[index].alias { subchart.metadata.name = alias }
                subcharts.append(subchart)
            }
            if let alias = requirements[index].alias { requirements[index].name = alias }
            requirements[index].enabled = true
        }
        chart.dependencies = subcharts
        chart.metadata.dependencies = requirements

        var coalescer = Coalescer()
        let coalesced = try coalescer.coalesce(chart: chart, values: values)
        warnings += coalescer.warnings
        applyTags(&requirements, coalesced, warnings: &warnings)
        applyConditions(&requirements, coalesced, path: path, warnings: &warnings)

        let disabled = Set(requirements.filter { !$0.enabled }.map(\.name))
        chart.dependencies.removeAll { disabled.contains($0.name) }
        chart.metadata.dependencies = requirements.filter { !disabled.contains($0.name) }
        for index in chart.dependencies.indices {
            try processEnabled(&chart.dependencies[index], values: coalesced, path: path + chart.dependencies[index].name + ".", warnings: &warnings)
        }
    }

    /// A requirement with tags is enabled when one of its tags is true, disabled when all that
    /// are set are false.
    private static func applyTags(_ requirements: inout [ChartDependency], _ values: [String: TemplateValue], warnings: inout [String]) {
        guard let tags = values["tags"]?.table else { return }
        for index in requirements.indices {
            var anyTrue = false, anyFalse = false
            for tag in requirements[index].tags {
                guard let value = tags[tag] else { continue }
                if case .bool(let flag) = value {
                    if flag { anyTrue = true } else { anyFalse = true }
                } else {
                    warnings.append("returned non-bool value: tag \(tag), chart \(requirements[index].name)")
                }
            }
            requirements[index].enabled = anyTrue || !anyFalse
        }
    }

    /// The first condition path that holds a boolean decides.
    private static func applyConditions(_ requirements: inout [ChartDependency], _ values: [String: TemplateValue], path: String, warnings: inout [String]) {
        for index in requirements.indices {
            let conditions = (requirements[index].condition ?? "").helmTrimmedSpaces.split(separator: ",", omittingEmptySubsequences: true)
            for condition in conditions {
                guard let value = pathValue(values, path + condition) else { continue }
                if case .bool(let flag) = value {
                    requirements[index].enabled = flag
                    break
                }
                warnings.append("returned non-bool value: path \(condition), chart \(requirements[index].name)")
            }
        }
    }

    /// Helm's `Values.PathValue`: a non-table value at a dotted path.
    static func pathValue(_ values: [String: TemplateValue], _ path: String) -> TemplateValue? {
        let keys = path.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard let last = keys.last, let parent = table(values, keys.dropLast()) else { return nil }
        guard let value = parent[last], value.table == nil else { return nil }
        return value
    }

    /// Helm's `Values.Table`: the table at a path of keys.
    static func table(_ values: [String: TemplateValue], _ keys: some Sequence<String>) -> [String: TemplateValue]? {
        var current = values
        for key in keys {
            guard let next = current[key]?.table else { return nil }
            current = next
        }
        return current
    }

    /// Bottom-up: each subchart first takes its own children's exports.
    private static func processImports(_ chart: inout HelmChart, warnings: inout [String]) throws(ValuesError) {
        for index in chart.dependencies.indices {
            try processImports(&chart.dependencies[index], warnings: &warnings)
        }
        guard !chart.metadata.dependencies.isEmpty else { return }
        var coalescer = Coalescer()
        let merged = try coalescer.coalesce(chart: chart, values: [:], merge: true)
        warnings += coalescer.warnings
        let defaultOrigins = allDefaultOrigins(chart)
        var imported: [String: TemplateValue] = [:]
        var importedOrigins: ValueOrigins = [:]
        for requirement in chart.metadata.dependencies {
            for entry in requirement.importValues {
                let child: String, parent: String
                switch entry {
                case .map(let fields, _):
                    child = fields["child"].map(GoFormat.string) ?? "<nil>"
                    parent = fields["parent"].map(GoFormat.string) ?? "<nil>"
                case .string(let name):
                    child = "exports." + name
                    parent = "."
                default:
                    continue
                }
                let childKeys = [requirement.name] + child.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
                guard let source = table(merged, childKeys) else {
                    warnings.append("ImportValues missing table from chart \(requirement.name): \(child)")
                    continue
                }
                let parentKeys = parent == "." ? [] : parent.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
                var nested = source
                for key in parentKeys.reversed() { nested = [key: .map(nested)] }
                coalescer.coalesceTables(&imported, nested, merge: true)
                let childPath = childKeys.map { ValuePathComponent.key($0) }
                for (path, location) in defaultOrigins where path.starts(with: childPath) {
                    let target = parentKeys.map { ValuePathComponent.key($0) } + path.dropFirst(childPath.count)
                    if importedOrigins[target] == nil { importedOrigins[target] = location }
                }
            }
        }
        // The parent's own values win over what it imports.
        var values = merged
        coalescer.coalesceTables(&values, imported, merge: true)
        chart.values = values
        for (path, location) in importedOrigins where chart.valueOrigins[path] == nil {
            chart.valueOrigins[path] = location
        }
        chart.valueOrigins = chart.valueOrigins.filter { values.contains(path: $0.key) }
    }

    /// The chart's defaults' origins and its subcharts', under their names.
    private static func allDefaultOrigins(_ chart: HelmChart) -> ValueOrigins {
        var origins = chart.valueOrigins
        for subchart in chart.dependencies {
            for (path, location) in allDefaultOrigins(subchart) where origins[[.key(subchart.name)] + path] == nil {
                origins[[.key(subchart.name)] + path] = location
            }
        }
        return origins
    }
}
