import HAAuditModel

/// An element of a parsed XML document, with positions for it and for each attribute.
public struct XMLElement: Sendable {
    public var name: String
    /// The namespace URI (elements are matched by URI, never by prefix).
    public var namespace: String?
    public var attributes: [XMLAttribute] = []
    public var children: [XMLElement] = []
    /// The element's own text (text and CDATA children, concatenated).
    public var text = ""
    public var position: Position
    /// The comments written directly before the element, for `<!-- haaudit:ignore ... -->`.
    public var precedingComments: [String] = []

    public func attribute(_ name: String) -> XMLAttribute? {
        attributes.first { $0.name == name }
    }

    /// Child elements with this local name, in this element's namespace.
    public func children(_ name: String) -> [XMLElement] {
        children.filter { $0.name == name && $0.namespace == namespace }
    }

    public func child(_ name: String) -> XMLElement? {
        children.first { $0.name == name && $0.namespace == namespace }
    }

    /// The descendant reached through a path of child names.
    public func child(path names: String...) -> XMLElement? {
        var element: XMLElement? = self
        for name in names { element = element?.child(name) }
        return element
    }
}

public struct XMLAttribute: Sendable {
    public var name: String
    public var value: String
    /// Where the attribute's name starts.
    public var position: Position
}
