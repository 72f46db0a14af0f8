import HAAuditFrontends
import HAAuditHelm
import HAAuditModel
import HAAuditReaders
import Synchronization

/// Renders a chart unit once for each of its releases (DESIGN section 12) and hands the rendered
/// documents to the frontends, each node traced to the template line that wrote it or, when its
/// value came from values, to the values line.
struct HelmStage: Sendable {
    let settings: HelmSettings
    let limits: ReaderLimits
    /// The folders of the run's charts, by chart name: where a dependency `charts/` lacks is
    /// looked for.
    let chartFolders: [String: [String]]
    /// Charts loaded as another chart's dependency, by folder: bitnami's `common` serves every
    /// chart of the run and is read once. (Nil: it does not load.)
    private let siblings = SiblingCharts()

    private final class SiblingCharts: Sendable {
        let loaded = Mutex<[String: HelmChart?]>([:])

        func chart(_ folder: String) -> HelmChart? {
            if let known = loaded.withLock({ $0[folder] }) { return known }
            // Loaded outside the lock: two jobs may both load it, which is harmless.
            let chart = try? ChartLoader.load(directory: folder)
            loaded.withLock { $0[folder] = chart }
            return chart
        }
    }

    init(settings: HelmSettings, limits: ReaderLimits, charts: [ChartUnit]) {
        self.settings = settings
        self.limits = limits
        var folders: [String: [String]] = [:]
        for chart in charts {
            if let name = ChartFolders.chartName(chart.chartFile), !name.isEmpty { folders[name, default: []].append(chart.folder) }
        }
        chartFolders = folders
    }

    func read(_ chart: ChartUnit, into part: inout LoadedPart) {
        let chartLocation = SourceLocation(path: chart.chartFile.displayPath, line: 1, column: 1)
        func warn(_ message: String, at location: SourceLocation? = nil) {
            part.diagnostics.append(Diagnostic(level: .warning, message: message, location: location ?? chartLocation))
        }
        // A library chart renders nothing: its metadata tells, without its templates and values
        // (one with dependencies loads, so that missing ones are reported).
        if let metadata = try? ChartLoader.metadata(directory: chart.folder), metadata.isLibrary, metadata.dependencies.isEmpty {
            return
        }
        var loaded: HelmChart
        do {
            loaded = try ChartLoader.load(directory: chart.folder)
            loaded = loaded.vendoring { name in
                (chartFolders[name] ?? []).filter { $0 != chart.folder }.compactMap { siblings.chart($0) }
            }
        } catch {
            part.diagnostics.append(Diagnostic(level: .error, message: "Helm chart \(chart.folder) cannot be read: \(error.message)",
                                               location: error.location ?? chartLocation))
            return
        }
        guard loaded.missingDependencies.isEmpty else {
            for missing in loaded.missingDependencies { warn("\(missing.description); the chart is not audited") }
            part.skipped[.charts] += 1
            return
        }
        if loaded.metadata.isLibrary { return }
        // The releases of a chart parse the same template files.
        let parseCache = TemplateParseCache()
        for release in settings.releases(of: chart.folder) {
            render(loaded, release, chart: chart, parseCache: parseCache, into: &part)
        }
    }

    private func render(_ chart: HelmChart, _ release: HelmSettings.Release, chart unit: ChartUnit, parseCache: TemplateParseCache,
                        into part: inout LoadedPart) {
        let chartLocation = SourceLocation(path: unit.chartFile.displayPath, line: 1, column: 1)
        let rendered: [RenderedTemplate]
        let values: PositionedValues
        var chartFolders = Self.folders(of: chart)
        // Asked for every traced node, of a few files: remembered.
        var displayPaths: [String: String] = [:]
        func displayPath(of helmPath: String) -> String {
            if let known = displayPaths[helmPath] { return known }
            let path = Self.displayPath(of: helmPath, in: chartFolders)
            displayPaths[helmPath] = path
            return path
        }
        do {
            let files = try release.values.map { path throws(ValuesError) -> (path: String, bytes: [UInt8]) in
                switch readBytes(of: InputFile(displayPath: path, openPath: path), maxBytes: 32 << 20) {
                case .success(let bytes): return (path, bytes)
                case .failure(let error): throw ValuesError("values file \(path): \(error.message)")
                }
            }
            let user = try ReleaseValues.user(files: files, sets: release.set)
            let (processed, _) = try ChartDependencies.process(chart, values: user.values)
            values = try ReleaseValues.coalesce(chart: processed, user: user).values
            chartFolders = Self.folders(of: processed)
            let capabilities = HelmCapabilities(kubeVersion: settings.kubeVersion,
                                                apiVersions: HelmCapabilities.builtInAPIVersions + settings.apiVersions)
            // As `helm template` refuses a chart whose kubeVersion range the cluster misses.
            if let incompatible = HelmRenderer.kubeVersionIncompatibility(processed, capabilities: capabilities) {
                part.diagnostics.append(Diagnostic(level: .error, message: "\(incompatible) (set helm.kubeVersion in .haaudit.yaml)",
                                                   location: chartLocation))
                return
            }
            let stopwatch = Stopwatch()
            defer {
                part.chartRendering.seconds += stopwatch.seconds
                part.chartRendering.renders += 1
            }
            rendered = try HelmRenderer.render(processed, values: values,
                                               release: HelmRelease(name: release.name, namespace: release.namespace),
                                               capabilities: capabilities, parseCache: parseCache)
        } catch let error as ValuesError {
            part.diagnostics.append(Diagnostic(level: .error, message: "release \(release.name) of \(unit.folder): \(error.message)",
                                               location: error.location ?? chartLocation))
            return
        } catch let error as HelmRenderError {
            let path = error.path.isEmpty ? unit.chartFile.displayPath : displayPath(of: error.path)
            part.diagnostics.append(Diagnostic(level: .error, message: error.message,
                                               location: SourceLocation(path: path, line: error.line ?? 1, column: 1)))
            return
        } catch {
            part.diagnostics.append(Diagnostic(level: .error, message: "\(error)", location: chartLocation))
            return
        }
        for template in rendered {
            let path = displayPath(of: template.path)
            let bytes = Array(template.text.utf8)
            let nodes: [Node]
            do {
                nodes = try DocumentSyntax.yaml.reader(limits: limits).read(bytes)
            } catch {
                part.diagnostics.append(Diagnostic(level: .error,
                                                   message: "\(template.path) renders YAML that does not parse: \(error.message)",
                                                   location: SourceLocation(path: path, line: 1, column: 1)))
                continue
            }
            let tracer = RenderedTemplateOrigins(text: bytes, spans: template.spans, origins: values.origins) { displayPath(of: $0) }
            var taken = false
            defer { if taken { part.fileCount += 1 } }
            for node in nodes where node.isMapping {
                var document = SourceDocument(path: path, identityPath: "\(path)@\(release.name)", root: node)
                let traced = tracer.origins(of: node)
                document.origins = traced.origins
                part.writtenBy.merge(traced.writtenBy) { $0 + $1 }
                document.variant = "\(unit.folder) (release \(release.name))"
                document.defaultNamespace = release.namespace
                document.release = "\(release.name) of \(unit.folder)"
                part.documentCount += 1
                taken = part.lower(document) || taken
            }
        }
    }

    /// Where the templates of each chart of the tree are, by the prefix Helm names them with
    /// (`shop/`, `shop/charts/cache/`): the folder or archive each was loaded from (a dependency
    /// taken from elsewhere in the run is in its own folder).
    private static func folders(of chart: HelmChart, prefix: String? = nil) -> [(prefix: String, folder: String)] {
        let prefix = prefix ?? chart.name + "/"
        return [(prefix, chart.path)] + chart.dependencies.flatMap { folders(of: $0, prefix: prefix + "charts/" + $0.name + "/") }
    }

    /// A template's path as Helm names it (`shop/templates/x.yaml`), as reports show it: in the
    /// folder (or archive) of the chart it belongs to.
    private static func displayPath(of helmPath: String, in folders: [(prefix: String, folder: String)]) -> String {
        guard let chart = folders.filter({ helmPath.hasPrefix($0.prefix) }).max(by: { $0.prefix.count < $1.prefix.count }) else { return helmPath }
        let inside = String(helmPath.dropFirst(chart.prefix.count))
        return chart.folder.isEmpty || chart.folder == "." ? inside : chart.folder + "/" + inside
    }
}

/// Where the nodes of one rendered template were written: the output spans the executor
/// recorded, looked up by each node's offset in the output.
struct RenderedTemplateOrigins {
    let spans: [TemplateOutputSpan]
    let origins: ValueOrigins
    let displayPath: (String) -> String
    /// The offset of each line's first byte in the rendered text.
    private let lineStarts: [Int]
    private let text: [UInt8]

    init(text: [UInt8], spans: [TemplateOutputSpan], origins: ValueOrigins, displayPath: @escaping (String) -> String) {
        self.text = text
        self.spans = spans
        self.origins = origins
        self.displayPath = displayPath
        var starts = [0]
        for (offset, byte) in text.enumerated() where byte == UInt8(ascii: "\n") { starts.append(offset + 1) }
        lineStarts = starts
    }

    /// Every node of the document, traced; and for each values line, the template lines that
    /// wrote it.
    func origins(of root: Node) -> (origins: [Node.ID: SourceLocation], writtenBy: [SourceLocation: [SourceLocation]]) {
        var result: [Node.ID: SourceLocation] = [:]
        var writtenBy: [SourceLocation: [SourceLocation]] = [:]
        // Each node with its path below the top node of the span that printed it: inside
        // `toYaml .Values.resources`, `limits.memory` is `resources.limits.memory` of values.
        var stack: [(node: Node, below: ValuePath)] = [(root, [])]
        while let (node, below) = stack.popLast() {
            let span = spanIndex(of: node)
            if let (location, template) = location(of: node, span: span, below: below) {
                result[node.id] = location
                if let template, !(writtenBy[location]?.contains(template) ?? false) { writtenBy[location, default: []].append(template) }
            }
            for entry in node.entries {
                let valueSpan = spanIndex(of: entry.value), keySpan = spanIndex(of: entry.key)
                let key = ValuePathComponent.key(entry.key.scalar ?? "")
                // A value printed with its parent continues its path; one printed with its key
                // only (`toYaml` adding entries to a template's map) starts at its key.
                let valueBelow: ValuePath = valueSpan == span ? below + [key] : keySpan == valueSpan ? [key] : []
                stack.append((entry.value, valueBelow))
                // A field whose value came from values is written where that value is: rules
                // anchor a field's finding on its key.
                if !entry.value.isMapping, !entry.value.isSequence, let value = location(of: entry.value, span: valueSpan, below: valueBelow),
                   value.template != nil, let keyLocation = location(of: entry.key, span: keySpan, below: []) {
                    result[entry.key.id] = value.0
                    if !(writtenBy[value.0]?.contains(keyLocation.0) ?? false) { writtenBy[value.0, default: []].append(keyLocation.0) }
                } else {
                    stack.append((entry.key, keySpan == valueSpan ? valueBelow : []))
                }
            }
            for (index, item) in node.items.enumerated() {
                stack.append((item, spanIndex(of: item) == span ? below + [.index(index)] : []))
            }
        }
        return (result, writtenBy)
    }

    /// The index of the span that printed the node: the last that starts at or before it.
    func spanIndex(of node: Node) -> Int? {
        let position = node.position
        guard position.line >= 1, position.line <= lineStarts.count else { return nil }
        let offset = lineStarts[position.line - 1] + max(0, position.column - 1)
        var low = 0, high = spans.count
        while low < high {
            let middle = (low + high) / 2
            if spans[middle].offset <= offset { low = middle + 1 } else { high = middle }
        }
        return low > 0 ? low - 1 : nil
    }

    /// Where the node was written: the values line its value came from (with the template line
    /// that printed it), else the template line. `below` is the node's path under the top node
    /// of its span; without a values line of its own the node takes its nearest ancestor's.
    func location(of node: Node, span index: Int?, below: ValuePath) -> (SourceLocation, template: SourceLocation?)? {
        guard let index else { return nil }
        let span = spans[index]
        let path = displayPath(span.file)
        guard span.isText else {
            let template = SourceLocation(path: path, line: span.line, column: span.column + 1)
            if let valuesPath = span.valuesPath {
                let top = valuesPath.map(ValuePathComponent.key)
                for depth in stride(from: below.count, through: 0, by: -1) {
                    if let origin = origins[top + below.prefix(depth)] { return (origin, template) }
                }
            }
            return (template, nil)
        }
        let position = node.position
        let offset = lineStarts[position.line - 1] + max(0, position.column - 1)
        // Copied template text: count the lines between the span's start and the node.
        var line = span.line, lineStart = span.offset
        for index in span.offset..<min(offset, text.count) where text[index] == UInt8(ascii: "\n") {
            line += 1
            lineStart = index + 1
        }
        let column = lineStart == span.offset ? span.column + (offset - span.offset) : offset - lineStart
        return (SourceLocation(path: path, line: line, column: column + 1), nil)
    }
}
