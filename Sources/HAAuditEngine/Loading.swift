import HAAuditFrontends
import HAAuditModel
import HAAuditParallel
import HAAuditReaders

extension Audit {
    /// Reads the files under `paths` while discovery is still walking them, and merges what they
    /// lowered to in file order while later files are still being read: with several jobs, the
    /// walk, the reading and the merging (which adds Kubernetes objects to the topology) overlap.
    func load(paths: [String]) -> LoadedInput {
        let started = Stopwatch()
        var discovery = 0.0
        var walkDiagnostics: [Diagnostic] = []
        let (maxFileSize, limits, configuration) = (maxFileSize, limits, configuration)
        var loaded = LoadedInput(settings: frontendSettings)
        // A few consecutive files a task: fewer parts to merge.
        streamingParallelMap(jobs: jobs, batch: 8, produce: { read in
            walkDiagnostics = Discovery(configurationFile: configuration.path).files(under: paths) { file in
                if !configuration.excludes(file.displayPath) { read(file) }
            }
            discovery = started.seconds
        }, { batch in
            var part = LoadedPart()
            for file in batch { part.read(file, maxFileSize: maxFileSize, limits: limits) }
            return part
        }, consume: { loaded.merge($0) })
        loaded.diagnostics = walkDiagnostics + loaded.diagnostics
        // With several jobs, reading starts while discovery walks: its phase is the time after.
        loaded.timings = [("discover", discovery), ("read, parse and lower", started.seconds - discovery)]
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
    var timings: [(phase: String, seconds: Double)] = []

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

/// What a batch of files read together lowered to, by frontend (in the registry's order), with
/// the diagnostics of those that could not be read.
struct LoadedPart: Sendable {
    var lowered = [LoweredDocument](repeating: LoweredDocument(), count: FrontendRegistry.all.count)
    var diagnostics: [Diagnostic] = []
    var fileCount = 0
    var byteCount = 0
    var documentCount = 0

    mutating func read(_ file: InputFile, maxFileSize: Int, limits: ReaderLimits) {
        switch readBytes(of: file, maxBytes: maxFileSize) {
        case .success(let bytes):
            add(path: file.displayPath, identityPath: file.identityPath, bytes: bytes, limits: limits, isStandardInput: file.openPath == "-")
        case .failure(let error):
            diagnostics.append(Diagnostic(level: .error, message: error.message,
                                          location: SourceLocation(path: file.displayPath, error.position)))
        }
    }

    mutating func add(path: String, identityPath: String? = nil, bytes: [UInt8], limits: ReaderLimits, isStandardInput: Bool = false) {
        fileCount += 1
        byteCount += bytes.count
        let syntax = DocumentSyntax.detect(path: path, bytes: bytes)
        if syntax == .xml {
            do {
                let document = XMLSourceDocument(path: path, identityPath: identityPath, root: try XMLReader().read(bytes))
                documentCount += 1
                // Documents of no supported family are skipped quietly.
                for (index, frontend) in FrontendRegistry.all.enumerated() where frontend.lower(document, into: &lowered[index]) { break }
            } catch {
                diagnostics.append(Diagnostic(level: .error, message: "\(error.message); the file was not audited",
                                              location: SourceLocation(path: path, error.position)))
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
                lower(yaml, path: path, identityPath: identityPath, sources: isStandardInput ? RenderedSources(bytes: bytes) : nil)
                return
            }
            diagnostics.append(Diagnostic(level: .error, message: "\(error.message); the file was not audited",
                                          location: SourceLocation(path: path, error.position)))
            return
        }
        lower(nodes, path: path, identityPath: identityPath, sources: isStandardInput ? RenderedSources(bytes: bytes) : nil)
    }

    /// Hands each document to the first frontend that takes it; documents of no supported
    /// family (Helm values, `package.json`) are skipped quietly. Rendered `sources` (standard
    /// input's) place each document's nodes where they were written.
    private mutating func lower(_ nodes: [Node], path: String, identityPath: String?, sources: RenderedSources?) {
        documentCount += nodes.count
        var sources = sources
        for node in nodes where node.isMapping {
            var document = SourceDocument(path: path, identityPath: identityPath, root: node)
            document.origins = sources?.origins(of: node) ?? [:]
            for (index, frontend) in FrontendRegistry.all.enumerated() where frontend.lower(document, into: &lowered[index]) { break }
        }
    }
}
