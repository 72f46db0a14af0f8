import HAAuditModel
import HAAuditReaders

/// How charts are rendered (DESIGN section 12): `helm:` of `.haaudit.yaml`, and `--values` /
/// `--set` for the charts no release names.
public struct HelmSettings: Sendable {
    /// A release the configuration lists: it replaces the default release of its chart.
    public struct Release: Sendable {
        /// The chart's folder, as written (relative to the configuration file).
        public var chart: String
        /// The chart's folder, resolved (a real path), to match discovered charts with.
        var chartRealPath: String?
        public var name = "release-name"
        public var namespace = "default"
        /// Values files in order, as paths to open.
        public var values: [String] = []
        /// `--set` entries (`image.tag=2.3.2`), each where it was written.
        public var set: [(entry: String, origin: SourceLocation)] = []
    }

    /// `.Capabilities.KubeVersion`: a recent Kubernetes unless configured.
    public var kubeVersion = HelmSettings.defaultKubeVersion
    /// API versions `.Capabilities.APIVersions.Has` finds beyond Helm's built-in set.
    public var apiVersions: [String] = []
    public var releases: [Release] = []
    /// `--values`, for every chart no configured release names.
    public var values: [String] = []
    /// `--set`, for every chart no configured release names.
    public var set: [(entry: String, origin: SourceLocation)] = []

    /// The Kubernetes version charts see unless `helm.kubeVersion` says otherwise.
    public static let defaultKubeVersion = "v1.31.0"

    public init() {}

    /// The releases of the chart in `folder` (a path as discovery gives it): those configured
    /// for it, else one default release with the command line's values.
    func releases(of folder: String) -> [Release] {
        let real = Discovery.realPath(folder)
        let configured = releases.filter { $0.chartRealPath != nil && $0.chartRealPath == real }
        guard configured.isEmpty else { return configured }
        var release = Release(chart: folder)
        release.values = values
        release.set = set
        return [release]
    }

    /// Reads `helm:`; paths are relative to the configuration file's folder.
    static func read(_ node: Node, configurationPath: String, fail: (String, Node) -> PolicyError) throws(PolicyError) -> HelmSettings {
        guard node.isMapping else { throw fail("helm is a mapping with kubeVersion, apiVersions, releases", node) }
        let folder = PathParts.directory(configurationPath)
        func resolved(_ path: String) -> String { path.hasPrefix("/") || folder.isEmpty ? path : folder + "/" + path }
        var settings = HelmSettings()
        for entry in node.entries {
            switch entry.key.scalar {
            case "kubeVersion":
                guard let version = entry.value.string, !version.isEmpty else { throw fail("helm.kubeVersion is text (1.31.0)", entry.value) }
                settings.kubeVersion = version.hasPrefix("v") ? version : "v" + version
            case "apiVersions":
                guard entry.value.isSequence else { throw fail("helm.apiVersions is a list", entry.value) }
                settings.apiVersions = try entry.value.items.map { item throws(PolicyError) in
                    guard let text = item.string else { throw fail("helm.apiVersions holds text", item) }
                    return text
                }
            case "releases":
                guard entry.value.isSequence else { throw fail("helm.releases is a list", entry.value) }
                for item in entry.value.items {
                    settings.releases.append(try release(item, configurationPath: configurationPath, resolved: resolved, fail: fail))
                }
            default:
                throw fail("unknown helm key '\(entry.key.scalar ?? "")' (expected kubeVersion, apiVersions, releases)", entry.key)
            }
        }
        return settings
    }

    private static func release(_ item: Node, configurationPath: String, resolved: (String) -> String,
                                fail: (String, Node) -> PolicyError) throws(PolicyError) -> Release {
        guard item.isMapping else { throw fail("a release is a mapping with chart, name, namespace, values, set", item) }
        var release = Release(chart: "")
        for field in item.entries {
            switch field.key.scalar {
            case "chart":
                guard let chart = field.value.string, !chart.isEmpty else { throw fail("a release's chart is a folder", field.value) }
                release.chart = chart
                release.chartRealPath = Discovery.realPath(resolved(chart))
            case "name":
                guard let name = field.value.string, !name.isEmpty else { throw fail("a release's name is text", field.value) }
                release.name = name
            case "namespace":
                guard let namespace = field.value.string, !namespace.isEmpty else { throw fail("a release's namespace is text", field.value) }
                release.namespace = namespace
            case "values":
                guard field.value.isSequence else { throw fail("a release's values is a list of files", field.value) }
                release.values = try field.value.items.map { file throws(PolicyError) in
                    guard let path = file.string, !path.isEmpty else { throw fail("a values file is a path", file) }
                    return resolved(path)
                }
            case "set":
                guard field.value.isMapping else { throw fail("a release's set maps keys to values (image.tag: \"2.3.2\")", field.value) }
                release.set = try field.value.entries.map { entry throws(PolicyError) in
                    guard let key = entry.key.scalar, let value = entry.value.scalar else { throw fail("a set entry is key: value", entry.value) }
                    return ("\(key)=\(value)", SourceLocation(path: configurationPath, entry.value.position))
                }
            default:
                throw fail("unknown release key '\(field.key.scalar ?? "")' (expected chart, name, namespace, values, set)", field.key)
            }
        }
        guard !release.chart.isEmpty else { throw fail("a release names its chart", item) }
        guard release.chartRealPath != nil else { throw fail("the release's chart \(release.chart) is not a folder", item) }
        return release
    }
}
