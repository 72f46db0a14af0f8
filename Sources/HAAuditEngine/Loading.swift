import HAAuditFrontends
import HAAuditModel
import HAAuditParallel
import HAAuditReaders

extension Audit {
    /// Reads the units under `paths` while discovery is still walking them, and merges what they
    /// lowered to in file order while later files are still being read: with several jobs, the
    /// walk, the reading and the merging (which adds Kubernetes objects to the topology) overlap.
    func load(paths: [String]) -> LoadedInput {
        let started = Stopwatch()
        var discovery = 0.0
        var walkDiagnostics: [Diagnostic] = []
        var walkSkipped = SkipCounts()
        let (maxFileSize, limits, configuration) = (maxFileSize, limits, configuration)
        var discoverer = Discovery(configurationFile: configuration.path)
        discoverer.defaultExcludes = defaultExcludes
        discoverer.excludes = { configuration.excludes($0, isFolder: $1) }
        var loaded = LoadedInput(settings: frontendSettings)
        var units: [DiscoveredUnit] = []
        (walkDiagnostics, walkSkipped) = discoverer.units(under: paths) { units.append($0) }
        // Kustomization roots are rendered before the files left are read: which files a root
        // reaches is known only once every kustomization is found.
        let kustomize = KustomizeStage(files: units.compactMap(\.file), binary: self.kustomize, jobs: jobs, limits: limits)
        let plainFiles = Set(kustomize.plainFiles)
        walkDiagnostics += kustomize.diagnostics
        discovery = started.seconds
        let helm = HelmStage(settings: configuration.helm, limits: limits, charts: units.compactMap(\.chart))
        // A few consecutive files a task: fewer parts to merge.
        streamingParallelMap(jobs: jobs, batch: 8, produce: { read in
            for unit in units where unit.file.map(plainFiles.contains) ?? true { read(unit) }
        }, { batch in
            var part = LoadedPart()
            for unit in batch { part.read(unit, maxFileSize: maxFileSize, limits: limits, helm: helm) }
            return part
        }, consume: { loaded.merge($0) })
        kustomize.rendered.forEach { loaded.merge($0) }
        loaded.fileCount += kustomize.renderedFileCount
        loaded.diagnostics = walkDiagnostics + loaded.diagnostics
        loaded.skipped.add(walkSkipped)
        loaded.skipped.add(kustomize.skipped)
        loaded.timings = [("discover and render", discovery), ("read, parse and lower", started.seconds - discovery)]
        return loaded
    }
}

/// Everything read so far, merged in file order: each frontend has taken what the files it
/// claimed lowered to (Kubernetes objects are already in the topology), with the diagnostics of
/// the files that could not be read.
struct LoadedInput {
    var topology = Topology()
    /// The run's instance of each frontend of the registry, in its order.
    var frontends: [any Frontend]
    var diagnostics: [Diagnostic] = []
    var fileCount = 0
    var byteCount = 0
    var documentCount = 0
    var skipped = SkipCounts()
    var timings: [(phase: String, seconds: Double)] = []
    var chartRendering = ChartRenderTiming()
    /// For each values line of a rendered chart, the template lines that wrote it.
    var writtenBy: [SourceLocation: [SourceLocation]] = [:]

    init(settings: FrontendSettings) {
        frontends = FrontendRegistry.all.map { $0.init(settings: settings) }
    }

    mutating func merge(_ part: LoadedPart) {
        for index in frontends.indices {
            frontends[index].add(part.lowered[index], to: &topology)
        }
        diagnostics += part.diagnostics + part.lowered.flatMap(\.diagnostics)
        fileCount += part.fileCount
        byteCount += part.byteCount
        documentCount += part.documentCount
        skipped.add(part.skipped)
        for lowered in part.lowered { skipped.add(lowered.skipped) }
        writtenBy.merge(part.writtenBy) { $0 + $1 }
        chartRendering.seconds += part.chartRendering.seconds
        chartRendering.renders += part.chartRendering.renders
    }

    /// Lets each frontend link what it took, in the registry's order. Takes the topology out
    /// rather than copying it: changing a copy while this one still held it would copy every
    /// component list and index.
    mutating func assemble(diagnostics: inout [Diagnostic]) -> Topology {
        var topology = Topology()
        swap(&topology, &self.topology)
        for index in frontends.indices {
            frontends[index].link(&topology, diagnostics: &diagnostics)
        }
        return topology
    }
}

/// What a batch of units read together lowered to, by frontend (in the registry's order), with
/// the diagnostics of those that could not be read and what was skipped.
struct LoadedPart: Sendable {
    var lowered = [LoweredDocument](repeating: LoweredDocument(), count: FrontendRegistry.all.count)
    var diagnostics: [Diagnostic] = []
    /// Files that held a manifest.
    var fileCount = 0
    var byteCount = 0
    var documentCount = 0
    var skipped = SkipCounts()
    /// For each values line of a rendered chart, the template lines that wrote it.
    var writtenBy: [SourceLocation: [SourceLocation]] = [:]
    var chartRendering = ChartRenderTiming()

    mutating func read(_ unit: DiscoveredUnit, maxFileSize: Int, limits: ReaderLimits, helm: HelmStage) {
        switch unit {
        case .file(let file):
            switch readBytes(of: file, maxBytes: maxFileSize) {
            case .success(let bytes):
                add(path: file.displayPath, identityPath: file.identityPath, bytes: bytes, limits: limits, isNamed: file.isNamed,
                    isStandardInput: file.openPath == "-")
            case .failure(let error):
                diagnostics.append(Diagnostic(level: .error, message: error.message,
                                              location: SourceLocation(path: file.displayPath, error.position)))
            }
        case .chart(let chart):
            helm.read(chart, into: &self)
        }
    }

    /// Reads one file: a manifest is lowered; a file that is empty, holds no manifest, or does
    /// not parse without looking like a manifest is skipped and counted; a file that does not
    /// parse is an error only when it was named or looks like a manifest (DESIGN section 11).
    mutating func add(path: String, identityPath: String? = nil, bytes raw: [UInt8], limits: ReaderLimits, isNamed: Bool = true,
                      isStandardInput: Bool = false) {
        byteCount += raw.count
        let bytes = ManifestSniffing.decodingUTF16(raw)
        let syntax = DocumentSyntax.detect(path: path, bytes: bytes)
        guard !ManifestSniffing.isBlank(bytes, syntax: syntax) else {
            skipped[.empty] += 1
            return
        }
        func failed(_ error: ReadError) {
            if isNamed || ManifestSniffing.looksLikeManifest(bytes, path: path) {
                diagnostics.append(Diagnostic(level: .error, message: "\(error.message); the file was not audited",
                                              location: SourceLocation(path: path, error.position)))
            } else if syntax == .json, (try? JSONReader(limits: limits).read(ManifestSniffing.strippingJSONComments(bytes))) != nil {
                // JSON with comments (tsconfig, appsettings): it parses, and holds no manifest.
                skipped[.notManifests] += 1
            } else {
                skipped[.unparseable] += 1
            }
        }
        if syntax == .xml {
            do {
                let document = XMLSourceDocument(path: path, identityPath: identityPath, root: try XMLReader().read(bytes))
                // Documents of no supported family are skipped and counted.
                let taken = FrontendRegistry.all.enumerated().contains { index, frontend in frontend.lower(document, into: &lowered[index]) }
                count(documents: 1, taken: taken)
            } catch {
                failed(error)
            }
            return
        }
        let nodes: [Node]
        do {
            nodes = try syntax.reader(limits: limits).read(bytes)
        } catch {
            // A YAML file that merely starts like JSON (`{a: b}`) is still YAML.
            if syntax == .json, !path.lowercased().hasSuffix(".json"),
               let yaml = try? DocumentSyntax.yaml.reader(limits: limits).read(bytes) {
                lower(yaml, path: path, identityPath: identityPath, standardInput: isStandardInput ? bytes : nil)
                return
            }
            failed(error)
            return
        }
        lower(nodes, path: path, identityPath: identityPath, standardInput: isStandardInput ? bytes : nil)
    }

    /// Hands each document to the first frontend that takes it; documents of no supported
    /// family (Helm values, `package.json`) are skipped, and a file with none is counted.
    /// Standard input keeps its sources (DESIGN section 11): kustomize's origin annotations, or
    /// the `# Source:` comments `helm template` writes.
    private mutating func lower(_ nodes: [Node], path: String, identityPath: String?, standardInput: [UInt8]?) {
        var taken = false
        let workingDirectory = Discovery.workingDirectory()
        var tracer = standardInput.map { _ in OriginTracer(base: workingDirectory, workingDirectory: workingDirectory) }
        var sources = standardInput.map { RenderedSources(bytes: $0, workingDirectory: workingDirectory) }
        for node in nodes where node.isMapping {
            var document = tracer?.document(node) ?? SourceDocument(path: path, identityPath: identityPath, root: node)
            if document.origins.isEmpty, let origins = sources?.origins(of: node) { document.origins = origins }
            taken = lower(document) || taken
        }
        count(documents: nodes.count, taken: taken)
    }

    /// Hands a document (read here, or rendered and traced to its origin) to the first frontend
    /// that takes it; false when none does.
    @discardableResult
    mutating func lower(_ document: SourceDocument) -> Bool {
        for (index, frontend) in FrontendRegistry.all.enumerated() where frontend.lower(document, into: &lowered[index]) {
            return true
        }
        return false
    }

    private mutating func count(documents: Int, taken: Bool) {
        if taken {
            fileCount += 1
            documentCount += documents
        } else {
            skipped[.notManifests] += 1
        }
    }
}
