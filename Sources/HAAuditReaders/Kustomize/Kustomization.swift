#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One kustomization (DESIGN section 11): a folder with `kustomization.yaml`, `kustomization.yml`
/// or `Kustomization`, and what its file references, as absolute lexical paths.
package struct Kustomization: Sendable {
    /// The names kustomize looks for in a folder, in its order.
    package static let fileNames = ["kustomization.yaml", "kustomization.yml", "Kustomization"]

    /// The folder, absolute.
    package var folder: String
    /// The kustomization file, absolute.
    package var file: String
    /// `kind: Component`: never a root, only applied by the kustomizations that name it.
    package var isComponent = false
    /// Resources, bases, components and CRDs that are folders (other kustomizations) or files of objects.
    package var references: [String] = []
    /// Files that are not objects: patches, generator inputs, transformer and replacement configurations.
    package var auxiliaryFiles: [String] = []
    /// Remote references (URLs, `github.com/...`, `git::`, `?ref=`), which are never fetched.
    package var remoteReferences: [String] = []
    /// Strategic-merge patch files (`patches` without `target` and `patchesStrategicMerge`), which
    /// the fields they set are traced to.
    package var strategicMergePatches: [String] = []

    /// Reads the kustomization in `folder` (absolute); nil when the folder has none, or it does not parse.
    package static func read(folder: String) -> Kustomization? {
        for name in fileNames {
            let file = folder + "/" + name
            var info = stat()
            guard stat(file, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { continue }
            guard case .success(let bytes) = readBytes(of: InputFile(displayPath: file, openPath: file), maxBytes: 1 << 20),
                  let root = try? YAMLReader(limits: ReaderLimits()).read(bytes).first, root.isMapping else { return nil }
            return Kustomization(folder: folder, file: file, root: root)
        }
        return nil
    }

    init(folder: String, file: String, root: Node) {
        self.folder = folder
        self.file = file
        isComponent = root["kind"]?.string == "Component"
        for key in ["resources", "bases", "components", "crds"] {
            for item in root[key]?.items ?? [] { if let path = item.string { reference(path) } }
        }
        for patch in root["patches"]?.items ?? [] {
            // A bare file name is the old form, which kustomize now refuses: a patch all the same.
            guard let path = patch["path"]?.string ?? patch.string else { continue }
            auxiliary(path)
            if patch["target"] == nil { strategicMergePatches.append(resolve(path)) }
        }
        for patch in root["patchesStrategicMerge"]?.items ?? [] {
            // An entry is a file name or an inline patch; an inline one spans several lines.
            guard let path = patch.string, !path.contains("\n") else { continue }
            auxiliary(path)
            strategicMergePatches.append(resolve(path))
        }
        for patch in root["patchesJson6902"]?.items ?? [] {
            if let path = patch["path"]?.string { auxiliary(path) }
        }
        for key in ["configMapGenerator", "secretGenerator"] {
            for generator in root[key]?.items ?? [] {
                var files = (generator["files"]?.items ?? []) + (generator["envs"]?.items ?? [])
                if let env = generator["env"] { files.append(env) }
                for file in files {
                    // `key=path` names the key the file's content is stored under.
                    guard let entry = file.string else { continue }
                    auxiliary(entry.split(separator: "=", maxSplits: 1).last.map(String.init) ?? entry)
                }
            }
        }
        for key in ["configurations", "transformers", "generators", "validators"] {
            for item in root[key]?.items ?? [] { if let path = item.string, !path.contains("\n") { auxiliary(path) } }
        }
        for replacement in root["replacements"]?.items ?? [] {
            if let path = replacement["path"]?.string { auxiliary(path) }
        }
        if let openapi = root[path: "openapi", "path"]?.string { auxiliary(openapi) }
    }

    private mutating func reference(_ path: String) {
        if Self.isRemote(path) { remoteReferences.append(path) } else { references.append(resolve(path)) }
    }

    private mutating func auxiliary(_ path: String) {
        if Self.isRemote(path) { remoteReferences.append(path) } else { auxiliaryFiles.append(resolve(path)) }
    }

    private func resolve(_ path: String) -> String {
        Discovery.absolutePath(path, in: folder)
    }

    /// What kustomize would fetch: a URL, a git repository, a host's path.
    static func isRemote(_ path: String) -> Bool {
        path.contains("://") || path.hasPrefix("git::") || path.hasPrefix("git@") || path.contains("?ref=")
            || ["github.com/", "gitlab.com/", "bitbucket.org/"].contains { path.hasPrefix($0) }
    }
}

/// The kustomizations of a run and how they reference each other: which are roots, and what
/// each root reaches.
package struct KustomizationGraph: Sendable {
    /// Every kustomization read, by folder: those found and those they reference.
    package private(set) var kustomizations: [String: Kustomization] = [:]
    /// Folders of the kustomizations no other found kustomization references, components aside, sorted.
    package private(set) var roots: [String] = []
    /// Every kustomization's non-object files (patches, generator inputs): never audited as objects.
    package private(set) var auxiliaryFiles: Set<String> = []

    /// `folders` are the absolute folders of the files discovery found; those with a kustomization file are its kustomizations.
    package init(folders: some Sequence<String>) {
        var found: [String] = []
        for folder in Set(folders).sorted() {
            if let kustomization = Kustomization.read(folder: folder) {
                kustomizations[folder] = kustomization
                found.append(folder)
            }
        }
        var referenced: Set<String> = []
        var pending = found
        while let folder = pending.popLast() {
            guard let kustomization = kustomizations[folder] else { continue }
            auxiliaryFiles.formUnion(kustomization.auxiliaryFiles)
            for reference in kustomization.references {
                if kustomizations[reference] == nil, let more = Kustomization.read(folder: reference) {
                    kustomizations[reference] = more
                    pending.append(reference)
                }
                if kustomizations[reference] != nil { referenced.insert(reference) }
            }
        }
        roots = found.filter { !referenced.contains($0) && kustomizations[$0]?.isComponent == false }
    }

    /// What a root reaches: its files (objects, patches, kustomization files), the kustomizations, remote references.
    package func closure(of root: String) -> KustomizationClosure {
        var closure = KustomizationClosure()
        var visited: Set<String> = []
        var pending = [root]
        while let folder = pending.popLast() {
            guard visited.insert(folder).inserted, let kustomization = kustomizations[folder] else { continue }
            closure.kustomizations.append(kustomization)
            closure.files.insert(kustomization.file)
            closure.files.formUnion(kustomization.auxiliaryFiles)
            closure.remoteReferences += kustomization.remoteReferences
            for reference in kustomization.references {
                if kustomizations[reference] != nil { pending.append(reference) } else { closure.files.insert(reference) }
            }
        }
        return closure
    }
}

package struct KustomizationClosure: Sendable {
    package var files: Set<String> = []
    package var kustomizations: [Kustomization] = []
    package var remoteReferences: [String] = []
}

extension Discovery {
    /// `path` made absolute against `folder`, with `.` and `..` resolved lexically.
    package static func absolutePath(_ path: String, in folder: String) -> String {
        Walk.normalize(path.hasPrefix("/") ? path : folder + "/" + path)
    }

    /// The path reports show for an absolute path: relative to the working directory when below it.
    package static func displayPath(ofAbsolute path: String, workingDirectory: String) -> String {
        Walk.displayPath(path, workingDirectory: workingDirectory)
    }
}
