import HAAuditModel

/// The explicit groups of a repository (`contexts:` of `.haaudit.yaml`): objects link only within
/// the contexts that hold their files; objects in no context link among themselves as usual.
package struct LinkContexts: Sendable {
    /// The names of the contexts, in the order written.
    package var names: [String]
    /// The contexts (indices into `names`) that hold a file, by its path as reports show it.
    package var holding: @Sendable (String) -> [Int]

    package init(names: [String], holding: @escaping @Sendable (String) -> [Int]) {
        self.names = names
        self.holding = holding
    }

    package static let none = LinkContexts(names: []) { _ in [] }
}

/// Where a partner (a Service, a budget, an autoscaler, an Ingress) stands when it chooses among
/// the objects it names or selects: its folder, and the explicit contexts that hold its file.
struct LinkPlace: Hashable, Sendable {
    var path: String
    var folders: [Substring]
    var contexts: [Int]

    init(path: String, contexts: [Int]) {
        self.path = path
        folders = Self.folders(path)
        self.contexts = contexts
    }

    static func folders(_ path: String) -> [Substring] {
        path.split(separator: "/").dropLast().filter { $0 != "." }
    }

    /// How many folders, from the top, `path` shares with this place; one more for this very
    /// file (a file that holds a partner and a copy is one variant, as each file of a folder of
    /// test cases is).
    func sharedFolders(with path: String) -> Int {
        if path == self.path { return folders.count + 1 }
        var shared = 0
        for folder in Self.folders(path) {
            guard shared < folders.count, folders[shared] == folder else { break }
            shared += 1
        }
        return shared
    }

    /// Whether `path` is in this place's folder or below it.
    func holdsInFolder(_ path: String) -> Bool {
        Self.folders(path).starts(with: folders)
    }

    func canSee(_ contextsOfTarget: [Int]) -> Bool {
        contexts.isEmpty ? contextsOfTarget.isEmpty : contextsOfTarget.contains(where: contexts.contains)
    }
}

/// Objects that collide on (kind, namespace, name) are alternatives that never run together (an
/// optional add-on, a release copy, an example): a partner keeps, of each such set of copies,
/// only the copies nearest it in the folder tree (the longest common folder prefix; a copy in
/// the partner's own file is nearer still). Copies equally near all stay: a partner in `base/`
/// serves `overlays/a` and `overlays/b` alike, and copies in one folder (or one file) are one
/// variant written twice.
struct Variants: Sendable {
    /// The contexts of the components some explicit context holds, by component.
    private var contextsOf: [ObjectIdentifier: [Int]] = [:]
    let contexts: LinkContexts

    init(contexts: LinkContexts) {
        self.contexts = contexts
    }

    var hasContexts: Bool { !contexts.names.isEmpty }

    mutating func note(_ component: Component) {
        guard hasContexts else { return }
        let holding = contexts.holding(component.location.path)
        if !holding.isEmpty { contextsOf[ObjectIdentifier(component)] = holding }
    }

    func place(of component: Component) -> LinkPlace {
        LinkPlace(path: component.location.path, contexts: contextsOf[ObjectIdentifier(component)] ?? [])
    }

    /// Whether `components` hold several copies of one object.
    static func hasCopies(_ components: [Component]) -> Bool {
        guard components.count > 1 else { return false }
        var seen = Set<ObjectCopy>()
        return components.contains { !seen.insert(ObjectCopy($0)).inserted }
    }

    /// What a partner at `place` links to among `candidates`: those its contexts allow, and of
    /// each set of copies, the nearest. `copies` gives every copy of a candidate's object, the
    /// candidates' or not: a nearer copy that a selector does not match hides the farther ones
    /// it does (the partner's own variant of the object is the one it meets).
    func visible(_ candidates: [Component], from place: LinkPlace, copies: (Component) -> [Component] = { _ in [] }) -> [Component] {
        let allowed = hasContexts ? candidates.filter { canBeSeen($0, from: place) } : candidates
        var nearness = [Int](repeating: 0, count: allowed.count)
        var nearest: [ObjectCopy: Int] = [:]
        for (index, component) in allowed.enumerated() {
            nearness[index] = place.sharedFolders(with: component.location.path)
            let key = ObjectCopy(component)
            if nearest[key] == nil {
                nearest[key] = copies(component).lazy.filter { canBeSeen($0, from: place) }.map { place.sharedFolders(with: $0.location.path) }.max() ?? 0
            }
            nearest[key] = max(nearest[key]!, nearness[index])
        }
        return allowed.indices.filter { nearness[$0] == nearest[ObjectCopy(allowed[$0])] }.map { allowed[$0] }
    }

    private func canBeSeen(_ component: Component, from place: LinkPlace) -> Bool {
        !hasContexts || place.canSee(contextsOf[ObjectIdentifier(component)] ?? [])
    }
}

/// The identity copies of one object share.
private struct ObjectCopy: Hashable {
    var kind: String
    var namespace: String?
    var name: String

    init(_ component: Component) {
        kind = component.kind
        namespace = component.namespace
        name = component.name
    }
}
