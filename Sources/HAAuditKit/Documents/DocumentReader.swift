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
    case yaml, json

    /// `.json` files are JSON; anything else whose first character opens a JSON object or array
    /// (CloudFormation `.template` files often are JSON) too; the rest is YAML.
    public static func detect(path: String, bytes: [UInt8]) -> DocumentSyntax {
        if path.lowercased().hasSuffix(".json") { return .json }
        var index = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
        if index < bytes.count, bytes[index] == UInt8(ascii: "{") || bytes[index] == UInt8(ascii: "[") {
            return .json
        }
        return .yaml
    }

    public func reader(limits: ReaderLimits = ReaderLimits()) -> any DocumentReader {
        switch self {
        case .yaml: YAMLReader(limits: limits)
        case .json: JSONReader(limits: limits)
        }
    }
}
