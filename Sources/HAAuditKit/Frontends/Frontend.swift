/// A parsed document and the file it came from.
public struct SourceDocument: Sendable {
    public var path: String
    public var root: Node

    public func location(_ node: Node) -> SourceLocation {
        SourceLocation(path: path, node.position)
    }
}

/// What one document lowers to on its own, before the documents of every file are linked.
struct LoweredDocument: Sendable {
    struct PendingRelationship: Sendable {
        var kind: Relationship.Kind
        var from: String
        var to: String
        var location: SourceLocation
    }

    var components: [Component] = []
    /// Relationships between this document's own components, by id.
    var relationships: [PendingRelationship] = []
    /// Objects of kinds the frontend does not model, by namespace (Kubernetes custom resources).
    var opaqueObjects: [(namespace: String, object: OpaqueObject)] = []
}

/// A frontend for YAML and JSON documents.
///
/// Each document is lowered on its own as soon as it is parsed, on the thread that parsed it,
/// so that its tree is freed at once; once every file of the run is read, the lowered parts are
/// assembled in file order and linked, so that objects correlate across files and folders.
protocol DocumentFrontend {
    /// The document's components, or nil when it belongs to another platform.
    static func lower(_ document: SourceDocument) -> LoweredDocument?
    /// Adds the lowered documents to the topology, in order, and links them (on up to `jobs`
    /// threads, where linking is worth sharing out).
    static func assemble(_ documents: [LoweredDocument], into topology: inout Topology, jobs: Int)
}

/// A parsed XML document and the file it came from.
public struct XMLSourceDocument: Sendable {
    public var path: String
    public var root: XMLElement

    public func location(_ position: Position) -> SourceLocation {
        SourceLocation(path: path, position)
    }
}
