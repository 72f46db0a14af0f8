import HAAuditFrontends
import HAAuditModel
import HAAuditReaders

/// Points the nodes of rendered objects at where they were written (DESIGN section 11), from the
/// `config.kubernetes.io/origin` annotation kustomize adds: a field of the origin object anchors
/// on its line there, a field a strategic-merge patch set on the patch's line, anything else (a
/// namespace or label the kustomization added) on the object in its origin file. Used for
/// rendered roots and for standard input (`kustomize build | haaudit scan -`).
package struct OriginTracer {
    /// The folder the annotations' paths are relative to: the wrapper kustomize built, or the
    /// working directory for standard input.
    var base: String
    var workingDirectory: String
    /// Discovered files by absolute path, for their identity paths.
    var files: [String: InputFile]
    /// Strategic-merge patch files (absolute) that may have set fields of the objects.
    var patches: [String]
    /// Where objects without an origin anchor (absolute): the kustomization a root was rendered from.
    var fallback: String?
    var limits: ReaderLimits
    /// Documents of the files read so far, by absolute path.
    private var parsed: [String: [Node]] = [:]

    package init(base: String, workingDirectory: String, files: [String: InputFile] = [:], patches: [String] = [],
                 fallback: String? = nil, limits: ReaderLimits = ReaderLimits()) {
        self.base = base
        self.workingDirectory = workingDirectory
        self.files = files
        self.patches = patches
        self.fallback = fallback
        self.limits = limits
    }

    static let originAnnotation = "config.kubernetes.io/origin"

    /// The document of a rendered object, its nodes traced to their origin; nil when the object
    /// has no origin annotation (or names a remote one) and there is no fallback.
    package mutating func document(_ object: Node) -> SourceDocument? {
        let origin = object[path: "metadata", "annotations", Self.originAnnotation]?.string
            .flatMap { try? YAMLReader(limits: ReaderLimits()).read(Array($0.utf8)).first }
        // A generated object (a ConfigMap of a generator) has the kustomization that made it.
        let relative = origin?["repo"] == nil ? origin?["path"]?.string ?? origin?["configuredIn"]?.string : nil
        guard let file = relative.map({ Discovery.absolutePath($0, in: base) }) ?? fallback else { return nil }
        let display = Discovery.displayPath(ofAbsolute: file, workingDirectory: workingDirectory)
        var document = SourceDocument(path: display, identityPath: files[file]?.identityPath ?? display, root: object)
        let written = Self.counterpart(of: object, among: documents(of: file))
        let anchor = SourceLocation(path: display, written?.position ?? Position(line: 1, column: 1))
        Self.trace(object, written, path: display, anchor: anchor, into: &document.origins)
        let kind = object["kind"]?.string
        let names = Set([object[path: "metadata", "name"]?.string, written?[path: "metadata", "name"]?.string].compactMap { $0 })
        for patchFile in patches {
            let patchDisplay = Discovery.displayPath(ofAbsolute: patchFile, workingDirectory: workingDirectory)
            for patch in documents(of: patchFile)
            where patch["kind"]?.string == kind && patch[path: "metadata", "name"]?.string.map(names.contains) == true {
                Self.overlay(object, patch, written, path: patchDisplay, into: &document.origins)
            }
        }
        return document
    }

    private mutating func documents(of file: String) -> [Node] {
        if let known = parsed[file] { return known }
        let nodes: [Node]
        if case .success(let bytes) = readBytes(of: InputFile(displayPath: file, openPath: file), maxBytes: largestReadableFile),
           let read = try? DocumentSyntax.detect(path: file, bytes: bytes).reader(limits: limits).read(bytes) {
            nodes = read.filter(\.isMapping)
        } else {
            nodes = []
        }
        parsed[file] = nodes
        return nodes
    }

    /// The object as written in its origin file: same kind and name, or the same kind with the
    /// name a prefix or suffix was added to, or the file's only object.
    private static func counterpart(of object: Node, among written: [Node]) -> Node? {
        let kind = object["kind"]?.string, name = object[path: "metadata", "name"]?.string ?? ""
        let sameKind = written.filter { $0["kind"]?.string == kind }
        return sameKind.first { $0[path: "metadata", "name"]?.string == name }
            ?? sameKind.first { $0[path: "metadata", "name"]?.string.map { !$0.isEmpty && name.contains($0) } == true }
            ?? (written.count == 1 ? written.first : nil)
    }

    /// Maps `rendered` and every node below it to the node at the same key path of `written`,
    /// or to `anchor` where there is none.
    private static func trace(_ rendered: Node, _ written: Node?, path: String, anchor: SourceLocation,
                              into origins: inout [Node.ID: SourceLocation]) {
        origins[rendered.id] = written.map { SourceLocation(path: path, $0.position) } ?? anchor
        if rendered.isMapping {
            for entry in rendered.entries {
                let match = entry.key.scalar.flatMap { written?.entry($0) }
                origins[entry.key.id] = match.map { SourceLocation(path: path, $0.key.position) } ?? anchor
                trace(entry.value, match?.value, path: path, anchor: anchor, into: &origins)
            }
        } else if rendered.isSequence {
            for (index, item) in rendered.items.enumerated() {
                trace(item, written.flatMap { Self.item(index, item, in: $0) }, path: path, anchor: anchor, into: &origins)
            }
        }
    }

    /// Points what a patch set at the patch: values it writes as scalars, and whatever it adds
    /// that the origin object lacks; the structure both share keeps the origin's lines.
    private static func overlay(_ rendered: Node, _ patch: Node, _ written: Node?, path: String,
                                into origins: inout [Node.ID: SourceLocation]) {
        if rendered.isMapping {
            for entry in rendered.entries {
                guard let key = entry.key.scalar, let set = patch.entry(key) else { continue }
                let original = written?.entry(key)
                if original == nil || !(set.value.isMapping || set.value.isSequence) {
                    let at = SourceLocation(path: path, set.key.position)
                    origins[entry.key.id] = at
                    trace(entry.value, set.value, path: path, anchor: at, into: &origins)
                } else {
                    overlay(entry.value, set.value, original?.value, path: path, into: &origins)
                }
            }
        } else if rendered.isSequence {
            for (index, item) in rendered.items.enumerated() {
                guard let set = Self.item(index, item, in: patch) else { continue }
                overlay(item, set, written.flatMap { Self.item(index, item, in: $0) }, path: path, into: &origins)
            }
        }
    }

    /// The item of `sequence` that stands for `item`: the one of the same `name` (containers,
    /// ports, env, which strategic merges key by name), else the one at the same index.
    private static func item(_ index: Int, _ item: Node, in sequence: Node) -> Node? {
        let items = sequence.items
        if let name = item["name"]?.string, items.contains(where: { $0["name"] != nil }) {
            return items.first { $0["name"]?.string == name }
        }
        return index < items.count ? items[index] : nil
    }
}
