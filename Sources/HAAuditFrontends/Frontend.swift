import HAAuditModel
import HAAuditReaders

/// A parsed document and the file it came from.
public struct SourceDocument: Sendable {
    /// The path reports show.
    public var path: String
    /// The path component ids use (`InputFile.identityPath`).
    public var identityPath: String
    public var root: Node
    /// Where the nodes of a rendered document were written, when that is another file than
    /// `path` (a kustomization's base or patch, a chart's template): by node, for the nodes a
    /// renderer could trace. The others keep their place in `path`.
    package var origins: [Node.ID: SourceLocation] = [:]
    /// The rendered kustomization root the document belongs to (`app/overlays/prod`): its objects
    /// link only to each other. Nil for plain files.
    package var variant: String?
    /// The namespace of objects that set none, when the renderer decides it (a Helm release's:
    /// `helm install` puts them there). Nil for plain files: they land where they are applied.
    package var defaultNamespace: String?
    /// The Helm release that rendered it (`prod of deploy/shop`), for reports.
    package var release: String?

    public init(path: String, identityPath: String? = nil, root: Node) {
        self.path = path
        self.identityPath = identityPath ?? path
        self.root = root
    }

    public func location(_ node: Node) -> SourceLocation {
        origins.isEmpty ? SourceLocation(path: path, node.position) : origins[node.id] ?? SourceLocation(path: path, node.position)
    }
}

/// What documents lower to on their own (those of one file, or of several read together),
/// before the documents of every file are linked.
package struct LoweredDocument: Sendable {
    struct PendingRelationship: Sendable {
        var kind: Relationship.Kind
        var from: Component
        var to: Component
        var location: SourceLocation
    }

    var components: [Component] = []
    /// Relationships between components of the same template.
    var relationships: [PendingRelationship] = []
    /// Objects of kinds the frontend does not model, by namespace (Kubernetes custom resources).
    var opaqueObjects: [(namespace: String, object: OpaqueObject)] = []
    /// What lowering found wrong in the documents (a CloudFormation condition cycle, say).
    package var diagnostics: [Diagnostic] = []
    /// Documents lowering left out (Kubernetes patch fragments).
    package var skipped = SkipCounts()
    /// The objects Kubernetes patch fragments name: not audited, but a copy of a workload all
    /// the same, which the variants of its folder see (DESIGN section 11).
    var patchedObjects: [Component] = []
    /// Documents kept whole until every file is read (XML templates, whose parameter files are
    /// other files).
    var keptDocuments: [XMLSourceDocument] = []

    package init() {}
}

/// What a run asks of every frontend.
package struct FrontendSettings: Sendable {
    /// The Service Fabric and Cloud Services profiles to lower (`--profile`).
    var profiles: ProfileSelection
    /// How many threads linking may use (`--jobs`).
    var jobs: Int
    /// The explicit groups objects link within (`contexts:`).
    var contexts: LinkContexts

    package init(profiles: ProfileSelection, jobs: Int, contexts: LinkContexts = .none) {
        self.profiles = profiles
        self.jobs = jobs
        self.contexts = contexts
    }
}

/// One family of input (Kubernetes, CloudFormation, ...): it claims the documents it
/// understands, lowers them into components, and links them once every file is read. The engine
/// knows the families only through `FrontendRegistry`.
///
/// Each document is claimed and lowered on the thread that parsed it, as soon as it is parsed,
/// so that its tree is freed at once; what the documents of a few files lowered to is handed to
/// the run's instance in file order (`add`), and `link` correlates everything at the end, so
/// that objects correlate across files and folders.
package protocol Frontend: Sendable {
    /// The instance of one run.
    init(settings: FrontendSettings)

    /// Adds the document's components to `lowered`, which gathers the documents of several files
    /// in order (one array for many documents, rather than a small one each); false, adding
    /// nothing, when the document is another family's.
    static func lower(_ document: SourceDocument, into lowered: inout LoweredDocument) -> Bool

    /// The same for an XML document.
    static func lower(_ document: XMLSourceDocument, into lowered: inout LoweredDocument) -> Bool

    /// Takes what the documents of a few files lowered to, in file order (while later files
    /// are still being read).
    mutating func add(_ lowered: LoweredDocument, to topology: inout Topology)

    /// Once every file is added: adds what needs them all (references across files, parameter
    /// files) to the topology.
    mutating func link(_ topology: inout Topology, diagnostics: inout [Diagnostic])
}

extension Frontend {
    static func lower(_ document: SourceDocument, into lowered: inout LoweredDocument) -> Bool { false }
    static func lower(_ document: XMLSourceDocument, into lowered: inout LoweredDocument) -> Bool { false }
}

/// A parsed XML document and the file it came from.
public struct XMLSourceDocument: Sendable {
    /// The path reports show.
    public var path: String
    /// The path component ids use (`InputFile.identityPath`).
    public var identityPath: String
    public var root: XMLElement

    public init(path: String, identityPath: String? = nil, root: XMLElement) {
        self.path = path
        self.identityPath = identityPath ?? path
        self.root = root
    }

    public func location(_ position: Position) -> SourceLocation {
        SourceLocation(path: path, position)
    }
}
