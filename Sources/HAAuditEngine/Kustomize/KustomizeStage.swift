import HAAuditFrontends
import HAAuditModel
import HAAuditParallel
import HAAuditReaders

/// The stage between discovery and reading (DESIGN section 11): finds the kustomization roots
/// among the files discovered, renders each with the user's kustomize, and says which files are
/// left to read as they are: none of a rendered root's closure, and no patch.
struct KustomizeStage {
    /// The files to read as they are.
    var plainFiles: [InputFile] = []
    /// What each rendered root lowered to.
    var rendered: [LoadedPart] = []
    var diagnostics: [Diagnostic] = []
    /// The files discovered that rendered roots read (each once, patches aside).
    var renderedFileCount = 0
    /// The roots that were not rendered.
    var skipped = SkipCounts()

    /// `binary` is `--kustomize`: nil to look on PATH.
    init(files: [InputFile], binary: String?, jobs: Int, limits: ReaderLimits) {
        let workingDirectory = Discovery.workingDirectory()
        var byPath: [String: InputFile] = [:]
        for file in files where file.openPath != "-" {
            byPath[Discovery.absolutePath(file.openPath, in: workingDirectory)] = file
        }
        let graph = KustomizationGraph(folders: byPath.keys.map(PathParts.directory))
        guard !graph.kustomizations.isEmpty else {
            plainFiles = files
            return
        }
        let found = KustomizeBinary.find(named: binary)
        let outcomes = parallelMap(graph.roots, jobs: jobs) { [byPath] root -> RootOutcome in
            Self.render(root, closure: graph.closure(of: root), with: found, files: byPath,
                        workingDirectory: workingDirectory, limits: limits)
        }
        var notRead = graph.auxiliaryFiles
        for outcome in outcomes {
            if let part = outcome.part {
                notRead.formUnion(outcome.closure.files)
                rendered.append(part)
            } else {
                skipped[.kustomizationsNotRendered] += 1
            }
            diagnostics += outcome.diagnostics
        }
        renderedFileCount = notRead.subtracting(graph.auxiliaryFiles).count { byPath[$0] != nil }
        plainFiles = files.filter { $0.openPath == "-" || !notRead.contains(Discovery.absolutePath($0.openPath, in: workingDirectory)) }
    }

    private struct RootOutcome: Sendable {
        var closure: KustomizationClosure
        /// Nil when the root was not rendered: its closure is read as it is.
        var part: LoadedPart?
        var diagnostics: [Diagnostic] = []
    }

    private static func render(_ root: String, closure: KustomizationClosure, with found: Result<KustomizeBinary, KustomizeFailure>,
                               files: [String: InputFile], workingDirectory: String, limits: ReaderLimits) -> RootOutcome {
        let file = closure.kustomizations.first?.file ?? root
        // Named as ids are (from the repository's root), so that fingerprints do not depend on where haaudit runs.
        let folder = Discovery.displayPath(ofAbsolute: root, workingDirectory: workingDirectory)
        let variant = files[file].map { PathParts.directory($0.identityPath) } ?? folder
        func notRendered(_ reason: String) -> RootOutcome {
            let display = Discovery.displayPath(ofAbsolute: file, workingDirectory: workingDirectory)
            let message = "kustomization \(folder.isEmpty ? "." : folder) was not rendered (\(reason)): its files are audited as they are, without its patches"
            return RootOutcome(closure: closure, diagnostics: [Diagnostic(level: .warning, message: message,
                                                                          location: SourceLocation(path: display, line: 1, column: 1))])
        }
        if let remote = closure.remoteReferences.first {
            return notRendered("it references \(remote), which is never fetched")
        }
        let binary: KustomizeBinary
        switch found {
        case .success(let known): binary = known
        case .failure(let failure): return notRendered(failure.reason)
        }
        let output: (output: [UInt8], wrapper: String)
        switch binary.render(root: root) {
        case .success(let rendered): output = rendered
        case .failure(let failure): return notRendered(failure.reason)
        }
        let objects: [Node]
        do {
            objects = try YAMLReader(limits: limits).read(output.output)
        } catch {
            return notRendered("its output does not parse: \(error.message)")
        }
        var tracer = OriginTracer(base: output.wrapper, workingDirectory: workingDirectory, files: files,
                                  patches: closure.kustomizations.flatMap(\.strategicMergePatches), fallback: file, limits: limits)
        var part = LoadedPart()
        part.byteCount = output.output.count
        for object in objects where object.isMapping {
            guard var document = tracer.document(object) else { continue }
            document.variant = variant.isEmpty ? "." : variant
            part.documentCount += 1
            part.lower(document)
        }
        return RootOutcome(closure: closure, part: part)
    }
}
