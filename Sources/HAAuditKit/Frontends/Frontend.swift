/// A parsed document and the file it came from.
public struct SourceDocument: Sendable {
    public var path: String
    public var root: Node

    public func location(_ node: Node) -> SourceLocation {
        SourceLocation(path: path, node.position)
    }
}

/// Lowers the documents of one platform into the topology.
///
/// A frontend first claims the documents it understands (one at a time, in any order, from any
/// file), then, once every file of the run has been read, lowers and links them all at once, so
/// that objects correlate across files and folders.
protocol Frontend {
    /// Takes the document when it belongs to this platform; returns false to leave it to others.
    mutating func claim(_ document: SourceDocument) -> Bool
    /// Adds the claimed documents' components and relationships to the topology.
    mutating func lower(into topology: inout Topology, diagnostics: inout [Diagnostic])
}

/// A parsed XML document and the file it came from.
public struct XMLSourceDocument: Sendable {
    public var path: String
    public var root: XMLElement

    public func location(_ position: Position) -> SourceLocation {
        SourceLocation(path: path, position)
    }
}
