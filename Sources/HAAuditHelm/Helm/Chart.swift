import HAAuditModel
import HAAuditReaders

/// A file of a chart, by its path inside the chart (`templates/deployment.yaml`).
public struct ChartFile: Sendable, Equatable {
    public var name: String
    public var data: [UInt8]
    public init(name: String, data: [UInt8]) {
        self.name = name
        self.data = data
    }
    public var text: String { String(decoding: data, as: UTF8.self) }
}

/// A dependency as `Chart.yaml` (or a v1 chart's `requirements.yaml`) declares it.
public struct ChartDependency: Sendable, Equatable {
    public var name: String
    public var version: String
    public var repository: String
    public var alias: String?
    /// Comma-separated values paths; the first that exists decides (Helm's `condition`).
    public var condition: String?
    public var tags: [String]
    /// `import-values` entries: a string (`data` or `exports.data`) or a `{child, parent}` map.
    public var importValues: [TemplateValue]
    public var enabled: Bool

    public init(name: String, version: String = "", repository: String = "", alias: String? = nil,
                condition: String? = nil, tags: [String] = [], importValues: [TemplateValue] = [], enabled: Bool = true) {
        self.name = name
        self.version = version
        self.repository = repository
        self.alias = alias
        self.condition = condition
        self.tags = tags
        self.importValues = importValues
        self.enabled = enabled
    }
}

/// `Chart.yaml`. `fields` keeps the whole file as values so that `.Chart` can show every field.
public struct ChartMetadata: Sendable, Equatable {
    public var name: String
    public var version: String
    public var appVersion: String
    public var apiVersion: String
    /// `application` or `library` (a library chart renders no templates of its own).
    public var type: String
    public var dependencies: [ChartDependency]
    public var fields: [String: TemplateValue]

    public init(name: String, version: String = "", appVersion: String = "", apiVersion: String = "v2",
                type: String = "application", dependencies: [ChartDependency] = [], fields: [String: TemplateValue] = [:]) {
        self.name = name
        self.version = version
        self.appVersion = appVersion
        self.apiVersion = apiVersion
        self.type = type
        self.dependencies = dependencies
        self.fields = fields
    }

    public var isLibrary: Bool { type == "library" }

    /// `.Chart` as templates see it: Helm's `chart.Metadata` struct, by its Go field names.
    public var templateValue: TemplateValue {
        func text(_ key: String) -> TemplateValue { .string(fields[key]?.stringValue ?? "") }
        func strings(_ key: String) -> TemplateValue {
            guard case .list(let items, _) = fields[key] ?? .null else { return .null }
            return .list(items)
        }
        var value: [String: TemplateValue] = [
            "Name": .string(name), "Version": .string(version), "AppVersion": .string(appVersion),
            "APIVersion": .string(apiVersion), "Type": .string(type),
            "Description": text("description"), "Home": text("home"), "Icon": text("icon"),
            "KubeVersion": text("kubeVersion"), "Condition": text("condition"), "Tags": text("tags"),
            "Keywords": strings("keywords"), "Sources": strings("sources"), "Maintainers": strings("maintainers"),
            "Deprecated": .bool(fields["deprecated"] == .bool(true)),
            "Annotations": fields["annotations"] ?? .null,
        ]
        value["Dependencies"] = .list(dependencies.map { dependency in
            .map([
                "Name": .string(dependency.name), "Version": .string(dependency.version),
                "Repository": .string(dependency.repository), "Condition": .string(dependency.condition ?? ""),
                "Tags": .list(dependency.tags.map { .string($0) }), "Enabled": .bool(dependency.enabled),
                "ImportValues": .list(dependency.importValues), "Alias": .string(dependency.alias ?? ""),
            ])
        })
        return .map(value)
    }
}

/// A loaded chart: metadata, default values (with their positions), templates, other files and
/// the subcharts found in `charts/`.
public struct HelmChart: Sendable {
    public var metadata: ChartMetadata
    public var values: [String: TemplateValue]
    /// Where each default in `values.yaml` was written.
    public var valueOrigins: ValueOrigins
    public var templates: [ChartFile]
    /// Files for `.Files`: everything that is not Chart.yaml, values.yaml, a template or a subchart.
    public var files: [ChartFile]
    public var schema: [UInt8]?
    public var dependencies: [HelmChart]
    /// Where the chart was loaded from, as reports show it (`deploy/shop`,
    /// `deploy/shop/charts/redis-1.2.0.tgz`).
    public var path: String

    public init(metadata: ChartMetadata, values: [String: TemplateValue] = [:], valueOrigins: ValueOrigins = [:],
                templates: [ChartFile] = [], files: [ChartFile] = [], schema: [UInt8]? = nil,
                dependencies: [HelmChart] = [], path: String = "") {
        self.metadata = metadata
        self.values = values
        self.valueOrigins = valueOrigins
        self.templates = templates
        self.files = files
        self.schema = schema
        self.dependencies = dependencies
        self.path = path
    }

    public var name: String { metadata.name }

    /// Declared dependencies with no subchart of that name in `charts/` (neither folder nor
    /// archive): the chart cannot be rendered as `helm template` would until
    /// `helm dependency build` vendors them.
    public var missingDependencies: [MissingDependency] {
        let present = Set(dependencies.map(\.name))
        return metadata.dependencies.filter { !present.contains($0.name) }.map {
            MissingDependency(chart: name, chartPath: path, dependency: $0)
        }
    }
}

public struct MissingDependency: Error, Sendable, Equatable, CustomStringConvertible {
    public var chart: String
    public var chartPath: String
    public var dependency: ChartDependency
    public var description: String {
        "chart \(chart) depends on \(dependency.name)\(dependency.version.isEmpty ? "" : " \(dependency.version)"), "
            + "which is not in \(chartPath.isEmpty ? "" : chartPath + "/")charts/: run `helm dependency build \(chartPath.isEmpty ? "." : chartPath)`"
    }
}

extension TemplateValue {
    /// The text of a scalar as a Go string field would hold it after YAML decoding.
    var stringValue: String? {
        switch self {
        case .string(let text): text
        case .bool(let flag): String(flag)
        case .int(let number, _): String(number)
        case .float(let number, _): GoFormat.shortest(number)
        default: nil
        }
    }
}
