/// A parsed document and the file it came from.
public struct SourceDocument: Sendable {
    /// The path reports show.
    public var path: String
    /// The path component ids use (`InputFile.identityPath`).
    public var identityPath: String
    public var root: Node

    public init(path: String, identityPath: String? = nil, root: Node) {
        self.path = path
        self.identityPath = identityPath ?? path
        self.root = root
    }

    public func location(_ node: Node) -> SourceLocation {
        SourceLocation(path: path, node.position)
    }
}

/// What documents lower to on their own (those of one file, or of several read together),
/// before the documents of every file are linked.
struct LoweredDocument: Sendable {
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
    var diagnostics: [Diagnostic] = []
}

/// A frontend for YAML and JSON documents.
///
/// Each document is lowered on its own as soon as it is parsed, on the thread that parsed it,
/// so that its tree is freed at once; the lowered parts are then assembled in file order and
/// linked, so that objects correlate across files and folders (`KubernetesAssembly`,
/// `CloudFormationFrontend.assemble`).
protocol DocumentFrontend {
    /// Adds the document's components to `lowered`, which gathers the documents of several
    /// files in order (one array for many documents, rather than a small one each); false,
    /// adding nothing, when the document belongs to another platform.
    static func lower(_ document: SourceDocument, into lowered: inout LoweredDocument) -> Bool
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
