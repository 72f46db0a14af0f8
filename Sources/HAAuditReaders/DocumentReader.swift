import HAAuditModel

/// A file that could not be parsed, and where.
public struct ReadError: Error, Sendable, Equatable {
    public var message: String
    public var position: Position
}

/// The one interface frontends depend on for structured documents: bytes in, positioned trees out.
public protocol DocumentReader: Sendable {
    func read(_ bytes: [UInt8]) throws(ReadError) -> [Node]
}


public enum DocumentSyntax: Sendable {
    case yaml, json, xml

    /// `.json` files are JSON and `.xml`, `.csdef`, `.cscfg` files XML; any other file is JSON
    /// when its first character opens an object or array (CloudFormation `.template` files
    /// often are JSON), XML when it opens a tag, and YAML otherwise.
    public static func detect(path: String, bytes: [UInt8]) -> DocumentSyntax {
        let lowered = path.lowercased()
        if lowered.hasSuffix(".json") { return .json }
        if lowered.hasSuffix(".xml") || lowered.hasSuffix(".csdef") || lowered.hasSuffix(".cscfg") { return .xml }
        var index = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
        guard index < bytes.count else { return .yaml }
        switch bytes[index] {
        case UInt8(ascii: "{"), UInt8(ascii: "["): return .json
        case UInt8(ascii: "<"): return .xml
        default: return .yaml
        }
    }

    /// The reader for YAML and JSON; XML has a tree of its own (`XMLReader`).
    public func reader(limits: ReaderLimits = ReaderLimits()) -> any DocumentReader {
        switch self {
        case .yaml, .xml: YAMLReader(limits: limits)
        case .json: JSONReader(limits: limits)
        }
    }
}
