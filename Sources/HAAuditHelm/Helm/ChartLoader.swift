import Foundation
import HAAuditModel
import HAAuditReaders

public struct ChartLoadError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public var location: SourceLocation?
    public init(_ message: String, at location: SourceLocation? = nil) {
        self.message = message
        self.location = location
    }
    public var description: String { location.map { "\($0.description): \(message)" } ?? message }
}

/// Loads charts as Helm's loader does (pkg/chart/loader): from a folder or a `.tgz`, with the
/// subcharts under `charts/` (folders or archives), each loaded the same way.
public enum ChartLoader {
    /// Subcharts nest at most this deep (a chart archive holding itself would not end).
    static let maxDepth = 16

    /// A chart folder, as reports show it; `.helmignore` applies (and Helm's default rule: hidden
    /// files under `templates/` are skipped).
    public static func load(directory: String, limits: ChartArchive.Limits = .init()) throws(ChartLoadError) -> HelmChart {
        let files = try readDirectory(directory, limits: limits)
        return try load(files: files, path: directory, limits: limits, depth: 0)
    }

    /// Only the metadata of a chart folder (`Chart.yaml`, a v1 chart's `requirements.yaml`):
    /// enough to tell a library chart without reading its templates and values.
    public static func metadata(directory: String) throws(ChartLoadError) -> ChartMetadata {
        func file(_ name: String) -> ChartFile? {
            FileManager.default.contents(atPath: directory + "/" + name).map { ChartFile(name: name, data: [UInt8]($0)) }
        }
        guard let chartFile = file("Chart.yaml") else { throw ChartLoadError("\(directory): Chart.yaml file is missing") }
        return try metadata(chartFile, requirements: file("requirements.yaml"), path: directory)
    }

    /// A chart archive (`name-1.0.0.tgz`): its files sit under one top folder.
    public static func load(archive: [UInt8], path: String, limits: ChartArchive.Limits = .init()) throws(ChartLoadError) -> HelmChart {
        try loadArchive(archive, path: path, limits: limits, depth: 0)
    }

    /// A chart from its files, by path inside the chart.
    public static func load(files: [ChartFile], path: String, limits: ChartArchive.Limits = .init()) throws(ChartLoadError) -> HelmChart {
        try load(files: files, path: path, limits: limits, depth: 0)
    }

    private static func loadArchive(_ bytes: [UInt8], path: String, limits: ChartArchive.Limits, depth: Int) throws(ChartLoadError) -> HelmChart {
        let entries: [(name: String, data: [UInt8])]
        do {
            entries = try ChartArchive.files(bytes, limits: limits)
        } catch {
            throw ChartLoadError("\(path): \(error.message)")
        }
        // Helm drops the archive's top folder, whatever it is called.
        let files = entries.compactMap { entry -> ChartFile? in
            guard let slash = entry.name.firstIndex(of: "/") else { return nil }
            let inner = String(entry.name[entry.name.index(after: slash)...])
            return inner.isEmpty ? nil : ChartFile(name: inner, data: entry.data)
        }
        guard !files.isEmpty else { throw ChartLoadError("\(path): no files in chart archive") }
        return try load(files: files, path: path, limits: limits, depth: depth)
    }

    private static func load(files: [ChartFile], path: String, limits: ChartArchive.Limits, depth: Int) throws(ChartLoadError) -> HelmChart {
        guard depth <= maxDepth else { throw ChartLoadError("\(path): subcharts nest deeper than \(maxDepth)") }
        var metadataFile: ChartFile?
        var requirements: ChartFile?
        var chart = HelmChart(metadata: ChartMetadata(name: ""), path: path)
        var subchartFiles: [String: [ChartFile]] = [:]
        for file in files.sorted(by: { $0.name < $1.name }) {
            switch file.name {
            case "Chart.yaml": metadataFile = file
            case "requirements.yaml": requirements = file
            case "values.yaml":
                do {
                    let values = try ValuesReader.read(file.data, path: path + "/values.yaml")
                    chart.values = values.values
                    chart.valueOrigins = values.origins
                } catch {
                    throw ChartLoadError("cannot load values.yaml: \(error.message)", at: error.location)
                }
            case "values.schema.json": chart.schema = file.data
            case "Chart.lock", "requirements.lock": break
            default:
                if file.name.hasPrefix("templates/") {
                    chart.templates.append(file)
                } else if file.name.hasPrefix("charts/"), !file.name.hasSuffix(".prov") {
                    let inner = file.name.dropFirst("charts/".count)
                    let subchart = String(inner.prefix { $0 != "/" })
                    subchartFiles[subchart, default: []].append(ChartFile(name: String(inner.dropFirst(subchart.count + 1)), data: file.data))
                } else {
                    chart.files.append(file)
                }
            }
        }
        guard let metadataFile else { throw ChartLoadError("\(path): Chart.yaml file is missing") }
        chart.metadata = try metadata(metadataFile, requirements: requirements, path: path)
        for name in subchartFiles.keys.sorted() {
            let subPath = path + "/charts/" + name
            if name.hasSuffix(".tgz") {
                guard let archive = subchartFiles[name]?.first(where: { $0.name.isEmpty }) else { continue }
                chart.dependencies.append(try loadArchive(archive.data, path: subPath, limits: limits, depth: depth + 1))
            } else {
                let inner = subchartFiles[name]!.filter { !$0.name.isEmpty }
                // A stray file in charts/ (a README) is no subchart.
                guard inner.contains(where: { $0.name == "Chart.yaml" }) else { continue }
                chart.dependencies.append(try load(files: inner, path: subPath, limits: limits, depth: depth + 1))
            }
        }
        return chart
    }

    /// `Chart.yaml`, with a v1 chart's dependencies from `requirements.yaml`.
    static func metadata(_ file: ChartFile, requirements: ChartFile?, path: String) throws(ChartLoadError) -> ChartMetadata {
        let fields = try yamlMap(file, path: path)
        func text(_ key: String) -> String { fields[key]?.stringValue ?? "" }
        let name = text("name")
        let version = text("version")
        let type = text("type")
        // Helm's `Metadata.Validate`, which loading runs.
        func invalid(_ message: String) -> ChartLoadError {
            ChartLoadError("validation: chart.metadata.\(message)", at: SourceLocation(path: path + "/Chart.yaml", line: 1, column: 1))
        }
        guard !name.isEmpty else { throw invalid("name is required") }
        guard !name.contains("/") else { throw invalid("name \"\(name)\" is invalid") }
        guard !version.isEmpty else { throw invalid("version is required") }
        guard isSemanticVersion(version) else { throw invalid("version \"\(version)\" is invalid") }
        guard ["", "application", "library"].contains(type) else { throw invalid("type must be application or library") }
        var dependencySource = fields["dependencies"]
        if let requirements { dependencySource = try yamlMap(requirements, path: path)["dependencies"] }
        var dependencies: [ChartDependency] = []
        if case .list(let items, _) = dependencySource ?? .null {
            for case .map(let entry, _) in items {
                func field(_ key: String) -> String? { entry[key]?.stringValue }
                var tags: [String] = []
                if case .list(let values, _) = entry["tags"] ?? .null { tags = values.compactMap(\.stringValue) }
                var imports: [TemplateValue] = []
                if case .list(let values, _) = entry["import-values"] ?? .null { imports = values }
                dependencies.append(ChartDependency(
                    name: field("name") ?? "", version: field("version") ?? "", repository: field("repository") ?? "",
                    alias: field("alias").flatMap { $0.isEmpty ? nil : $0 }, condition: field("condition").flatMap { $0.isEmpty ? nil : $0 },
                    tags: tags, importValues: imports))
            }
        }
        var seen: Set<String> = []
        for dependency in dependencies where !seen.insert(dependency.alias ?? dependency.name).inserted {
            throw invalid("dependencies: more than one dependency with name or alias \"\(dependency.alias ?? dependency.name)\"")
        }
        let apiVersion = text("apiVersion")
        return ChartMetadata(
            name: name, version: version, appVersion: text("appVersion"),
            apiVersion: apiVersion.isEmpty ? "v1" : apiVersion, type: type.isEmpty ? "application" : type,
            dependencies: dependencies, fields: fields)
    }

    /// Masterminds/semver's loose form: `v1`, `1.2`, `1.2.3-rc.1+build`.
    static func isSemanticVersion(_ text: String) -> Bool {
        var rest = Substring(text)
        if rest.first == "v" { rest = rest.dropFirst() }
        let core = rest.prefix { $0 != "-" && $0 != "+" }
        let numbers = core.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...3).contains(numbers.count), numbers.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCIIDigit) }) else { return false }
        rest = rest.dropFirst(core.count)
        func identifiers(_ part: Substring) -> Bool {
            part.split(separator: ".", omittingEmptySubsequences: false).allSatisfy {
                !$0.isEmpty && $0.allSatisfy { $0.isASCIIDigit || ("a"..."z").contains($0) || ("A"..."Z").contains($0) || $0 == "-" }
            }
        }
        if rest.first == "-" {
            let prerelease = rest.dropFirst().prefix { $0 != "+" }
            guard identifiers(prerelease) else { return false }
            rest = rest.dropFirst(prerelease.count + 1)
        }
        if rest.first == "+" {
            guard identifiers(rest.dropFirst()) else { return false }
            rest = rest.dropFirst(rest.count)
        }
        return rest.isEmpty
    }

    private static func yamlMap(_ file: ChartFile, path: String) throws(ChartLoadError) -> [String: TemplateValue] {
        do {
            return try ValuesReader.read(file.data, path: path + "/" + file.name).values
        } catch {
            throw ChartLoadError("cannot load \(file.name): \(error.message)", at: error.location)
        }
    }

    /// Every file under a chart folder that `.helmignore` keeps, by path inside it. Links are
    /// followed as Helm follows them (a vendored `charts/x -> ../../x`); a folder reached twice
    /// through links is read once, so a link loop ends.
    private static func readDirectory(_ root: String, limits: ChartArchive.Limits) throws(ChartLoadError) -> [ChartFile] {
        let manager = FileManager.default
        var ignoreText = ""
        if let data = manager.contents(atPath: root + "/.helmignore") { ignoreText = String(decoding: data, as: UTF8.self) }
        let ignore = try HelmIgnore(ignoreText)
        var files: [ChartFile] = []
        var total = 0
        var folders = [""]
        var visited: Set<String> = [realPath(root)]
        while let folder = folders.popLast() {
            let fullFolder = folder.isEmpty ? root : root + "/" + folder
            guard let names = try? manager.contentsOfDirectory(atPath: fullFolder) else {
                throw ChartLoadError("\(fullFolder): cannot read chart folder")
            }
            for name in names.sorted() {
                let relative = folder.isEmpty ? name : folder + "/" + name
                let full = root + "/" + relative
                // stat(2) follows links; a dangling link is skipped. (FileManager's attribute
                // dictionary and URL's link resolution per file cost more than reading the file.)
                var status = stat()
                guard stat(full, &status) == 0 else { continue }
                let type = status.st_mode & S_IFMT
                if type == S_IFDIR {
                    if !ignore.ignores(relative, isFolder: true), visited.insert(realPath(full)).inserted { folders.append(relative) }
                    continue
                }
                guard type == S_IFREG, !ignore.ignores(relative, isFolder: false) else { continue }
                let size = Int(status.st_size)
                guard size <= limits.maxFileBytes else {
                    throw ChartLoadError("\(full): file is \(size) bytes, over the \(limits.maxFileBytes) a chart file may have")
                }
                total += size
                guard total <= limits.maxTotalBytes, files.count < limits.maxEntries else {
                    throw ChartLoadError("\(root): chart folder holds more than \(limits.maxTotalBytes) bytes or \(limits.maxEntries) files")
                }
                guard let data = manager.contents(atPath: full) else { throw ChartLoadError("\(full): cannot read") }
                files.append(ChartFile(name: relative, data: [UInt8](data)))
            }
        }
        return files
    }

    /// The path with every link resolved (the path itself when that fails).
    private static func realPath(_ path: String) -> String {
        guard let resolved = realpath(path, nil) else { return path }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
