import Foundation

/// One rendered template file, as Helm's engine returns it.
public struct RenderedTemplate: Sendable, Equatable {
    /// Helm's name for it: `shop/templates/deployment.yaml`, `shop/charts/cache/templates/sts.yaml`
    /// (subcharts by their chart name, aliases applied).
    public var path: String
    /// The output, `<no value>` removed as Helm removes it.
    public var text: String
    /// Where each piece of `text` came from. `valuesPath` is made absolute: a subchart's
    /// `.Values.x` is `["cache", "x"]`, the path into the release's coalesced values.
    public var spans: [TemplateOutputSpan]

    public init(path: String, text: String, spans: [TemplateOutputSpan]) {
        self.path = path
        self.text = text
        self.spans = spans
    }
}

/// A failed render as `helm template` reports it: the template file, the line of the failing
/// action there (when known) and Helm's message (`execution error at (x.yaml:3:5): ...`, or the
/// multi-line trace of nested `include`s).
public struct HelmRenderError: Error, Sendable, Equatable, CustomStringConvertible {
    public var path: String
    public var line: Int?
    public var message: String
    public init(path: String, line: Int?, message: String) {
        self.path = path
        self.line = line
        self.message = message
    }
    public var description: String { message }
}

/// Helm's rendering engine (pkg/engine/engine.go): every template of a chart and its subcharts
/// parsed into one set (deeper paths first, so a parent's `define` wins), then each non-partial
/// executed with its chart's top-level object.
public enum HelmRenderer {
    /// `.Capabilities.KubeVersion` when the caller gives none (a recent cluster; Helm's own
    /// value under `go test` is v1.20.0, which only the conformance cases use).
    public static let defaultKubeVersion = "v1.31.0"

    public struct Options: Sendable {
        /// `helm lint`: `required` and `fail` yield "" instead of failing; `<no value>` is kept.
        public var lintMode = false
        /// `--strict`: a missing map key is an error (missingkey=error).
        public var strict = false
        public init(lintMode: Bool = false, strict: Bool = false) {
            self.lintMode = lintMode
            self.strict = strict
        }
    }

    /// Renders `chart` (as `ChartDependencies.process` returned it) with the release's coalesced
    /// values (`ReleaseValues.coalesce`), in Helm's execution order. `NOTES.txt` is rendered (its
    /// errors fail the render, as in Helm) but not returned; partials (`_*`) are not executed.
    public static func render(
        _ chart: HelmChart, values: PositionedValues, release: HelmRelease = HelmRelease(),
        capabilities: HelmCapabilities = HelmCapabilities(kubeVersion: defaultKubeVersion), options: Options = Options(),
        parseCache: TemplateParseCache = TemplateParseCache()
    ) throws(HelmRenderError) -> [RenderedTemplate] {
        let top = RenderValues.top(chart: chart, values: values.values, release: release, capabilities: capabilities)
        return try render(chart, top: top, options: options, parseCache: parseCache).filter { !$0.path.hasSuffix("NOTES.txt") }
    }

    /// Helm's check before rendering: a chart whose `kubeVersion` constraint the cluster version
    /// does not meet is refused (`chart requires kubeVersion: >=1.34.0-0 which is incompatible
    /// with Kubernetes v1.31.0`). Nil when compatible or unconstrained. Returned rather than
    /// thrown: an audit can render anyway and report it.
    public static func kubeVersionIncompatibility(_ chart: HelmChart, capabilities: HelmCapabilities) -> String? {
        guard case .string(let constraint) = chart.metadata.fields["kubeVersion"] ?? .null, !constraint.isEmpty,
              let semverCompare = HelmEngineFunctions.table(options: Options())["semverCompare"] else { return nil }
        let compatible = (try? semverCompare.call([.string(constraint), .string(capabilities.kubeVersion)])) ?? .bool(false)
        if compatible == .bool(true) { return nil }
        return "chart requires kubeVersion: \(constraint) which is incompatible with Kubernetes \(capabilities.kubeVersion)"
    }

    /// Helm's `Engine.Render(chart, values)`: `top` holds `Values`, `Release`, `Capabilities`
    /// (what `ToRenderValues` makes); every output is returned, `NOTES.txt` included.
    /// A `parseCache` given to several renders of the same chart parses its templates once.
    public static func render(_ chart: HelmChart, top: TemplateValue, options: Options = Options(),
                              parseCache: TemplateParseCache = TemplateParseCache()) throws(HelmRenderError) -> [RenderedTemplate] {
        var renderables: [String: Renderable] = [:]
        guard case .map(let topEntries, _) = top else { return [] }
        _ = collect(chart, parentPath: nil, scope: topEntries, valuesPrefix: [], into: &renderables)
        return try execute(renderables, options: options, parseCache: parseCache)
    }

    /// A template file with the top-level object it executes with.
    struct Renderable {
        var text: String
        var top: [String: TemplateValue]
        /// `.Template.BasePath`: `<chart full path>/templates`.
        var basePath: String
        /// The subchart names from the root to this template's chart (`.Values` scoping).
        var valuesPrefix: [String]
    }

    /// Helm's `recAllTpls`: the chart's top-level object and its templates (a library chart
    /// contributes only its partials), then its subcharts'. Returns the object, which becomes
    /// `.Subcharts.<name>` of the parent.
    static func collect(_ chart: HelmChart, parentPath: String?, scope: [String: TemplateValue], valuesPrefix: [String],
                        into renderables: inout [String: Renderable]) -> TemplateValue {
        let isRoot = parentPath == nil
        let fullPath = parentPath.map { "\($0)/charts/\(chart.name)" } ?? chart.name
        var metadata = chart.metadata.templateValue
        if case .map(var entries, let type) = metadata {
            entries["IsRoot"] = .bool(isRoot)
            metadata = .map(entries, type: type)
        }
        var next: [String: TemplateValue] = [
            "Chart": metadata,
            "Files": HelmFiles.value(chart.files),
            "Release": scope["Release"] ?? .null,
            "Capabilities": scope["Capabilities"] ?? .null,
            "Values": .map([:]),
        ]
        // A subchart sees its parent's `.Values.<name>` when that is a table.
        if isRoot {
            next["Values"] = scope["Values"] ?? .null
        } else if case .map(let parentValues, _) = scope["Values"] ?? .null, case .map(let own, let type) = parentValues[chart.name] ?? .null {
            next["Values"] = .map(own, type: type)
        }
        var subcharts: [String: TemplateValue] = [:]
        for child in chart.dependencies {
            subcharts[child.name] = collect(child, parentPath: fullPath, scope: next, valuesPrefix: isRoot ? [] : valuesPrefix + [chart.name], into: &renderables)
        }
        next["Subcharts"] = .map(subcharts)
        let ownPrefix = isRoot ? [] : valuesPrefix + [chart.name]
        for template in chart.templates {
            if chart.metadata.isLibrary, !baseName(template.name).hasPrefix("_") { continue }
            renderables["\(fullPath)/\(template.name)"] = Renderable(
                text: template.text, top: next, basePath: "\(fullPath)/templates", valuesPrefix: ownPrefix)
        }
        return .map(next)
    }

    static func baseName(_ path: String) -> String {
        path.split(separator: "/").last.map(String.init) ?? path
    }

    /// Helm's `sortTemplates`: more path segments first, then reverse lexical order. Parsing in
    /// this order lets a parent's definitions replace its subcharts'.
    static func sortTemplates(_ names: [String]) -> [String] {
        names.sorted { a, b in
            let (slashesA, slashesB) = (a.utf8.filter { $0 == UInt8(ascii: "/") }.count, b.utf8.filter { $0 == UInt8(ascii: "/") }.count)
            if slashesA != slashesB { return slashesA > slashesB }
            return b.utf8.lexicographicallyPrecedes(a.utf8)
        }
    }

    /// Helm's `render`: parse everything into one set named `gotpl`, execute the non-partials.
    static func execute(_ renderables: [String: Renderable], options: Options, parseCache: TemplateParseCache = TemplateParseCache()) throws(HelmRenderError) -> [RenderedTemplate] {
        // One large-stack thread for the whole render, not one for each parse and execution.
        try TemplateSet.onLargeStack { () throws(HelmRenderError) in try executeInPlace(renderables, options: options, parseCache: parseCache) }
    }

    private static func executeInPlace(_ renderables: [String: Renderable], options: Options, parseCache: TemplateParseCache) throws(HelmRenderError) -> [RenderedTemplate] {
        let set = TemplateSet(name: "gotpl", functions: HelmEngineFunctions.table(options: options),
                              options: .init(missingKey: options.strict ? .error : .zero))
        set.parseCache = parseCache
        set.methods = HelmFiles.methods
        set.mutatingFunctions = Sprig.mutatedArgument
        // Charts that call regex functions (bitnami's common helpers do) get ICU ready while
        // their templates are parsed.
        if renderables.values.contains(where: { Sprig.contains($0.text, "regex") }) { Sprig.RegexCache.prepareInBackground() }
        let order = sortTemplates(Array(renderables.keys))
        for name in order {
            do {
                try set.parse(name: name, text: renderables[name]!.text)
            } catch {
                throw HelmErrorFormat.parseError(file: name, error)
            }
        }
        var rendered: [RenderedTemplate] = []
        // A template's changes to its top-level object (`set $ "Values" ...`), by chart: Go
        // shares the object between the chart's templates, and later ones see them (istio's
        // charts flatten their values so). Changes do not reach other charts' objects.
        var changedTops: [String: [String: TemplateValue]] = [:]
        for name in order where !baseName(name).hasPrefix("_") {
            let renderable = renderables[name]!
            var top = changedTops[renderable.basePath] ?? renderable.top
            top["Template"] = .map(["Name": .string(name), "BasePath": .string(renderable.basePath)])
            let result: (output: String, spans: [TemplateOutputSpan], data: TemplateValue)
            do {
                result = try set.executeKeepingData(name: name, data: .map(top))
            } catch {
                throw HelmErrorFormat.executionError(file: name, error)
            }
            if case .map(let changed, _) = result.data { changedTops[renderable.basePath] = changed }
            var spans = result.spans
            for index in spans.indices {
                if let path = spans[index].valuesPath { spans[index].valuesPath = renderable.valuesPrefix + path }
            }
            let output = options.lintMode ? (result.output, spans) : removingNoValue(result.output, spans)
            rendered.append(RenderedTemplate(path: name, text: output.0, spans: output.1))
        }
        return rendered
    }

    /// Go prints a missing value as `<no value>` even with missingkey=zero; Helm deletes every
    /// occurrence from the output. Span offsets after each deletion move back with the text.
    static func removingNoValue(_ text: String, _ spans: [TemplateOutputSpan]) -> (String, [TemplateOutputSpan]) {
        let marker = Array("<no value>".utf8)
        // Most outputs have none: looked for before copying anything.
        guard Sprig.contains(text, "<no value>") else { return (text, spans) }
        let bytes = Array(text.utf8)
        var kept: [UInt8] = []
        kept.reserveCapacity(bytes.count)
        var removedAt: [Int] = []
        var index = 0
        while index < bytes.count {
            if bytes[index] == marker[0], index + marker.count <= bytes.count, Array(bytes[index..<index + marker.count]) == marker {
                removedAt.append(index)
                index += marker.count
            } else {
                kept.append(bytes[index])
                index += 1
            }
        }
        guard !removedAt.isEmpty else { return (text, spans) }
        var moved = spans
        for spanIndex in moved.indices {
            let offset = moved[spanIndex].offset
            let removedBefore = removedAt.prefix { $0 < offset }.count
            moved[spanIndex].offset = max(0, offset - removedBefore * marker.count)
        }
        return (String(decoding: kept, as: UTF8.self), moved)
    }
}
