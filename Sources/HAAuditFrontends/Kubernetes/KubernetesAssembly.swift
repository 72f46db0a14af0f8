import HAAuditModel

/// Adds lowered Kubernetes documents to the topology as they come, in file order, indexing
/// each object for linking as it is added (one visit each: the components are scattered in
/// memory, and each visit costs a cache miss or two); `link` then correlates them all. Adding
/// may start while later files are still being read.
struct KubernetesAssembly: Sendable {
    private var linker: KubernetesLinker
    /// By the id of an object written more than once in one file: the number its next copy
    /// tries first, so that the thousandth copy does not try the 999 numbers taken before it.
    private var nextCopy: [String: Int] = [:]

    init(contexts: LinkContexts) {
        linker = KubernetesLinker(contexts: contexts)
    }

    mutating func add(_ document: LoweredDocument, to topology: inout Topology) {
        for component in document.components {
            if !topology.add(component) {
                // The same object written twice (variants of one app, say): audit both copies,
                // told apart by file (not line, so that ids survive edits).
                let base = component.id + "@\(component.location.path)"
                component.id = base
                var copy = nextCopy[base] ?? 2
                while !topology.add(component) {
                    component.id = "\(base)#\(copy)"
                    copy += 1
                }
                nextCopy[base] = copy
            }
            let namespace = component.namespace ?? "default"
            if component.podLabels != nil { topology.namespaces[namespace, default: NamespaceContents()].workloads += 1 }
            if component.isService { topology.namespaces[namespace, default: NamespaceContents()].services += 1 }
            linker.index(component, namespace: component.linkScope)
        }
        for object in document.patchedObjects {
            linker.indexPatched(object, namespace: object.linkScope)
        }
        for (namespace, object) in document.opaqueObjects {
            topology.namespaces[namespace, default: NamespaceContents()].opaqueObjects.append(object)
        }
    }

    /// Correlates everything added (on up to `jobs` threads).
    func link(_ topology: inout Topology, jobs: Int) {
        linker.link(&topology, jobs: jobs)
    }
}
