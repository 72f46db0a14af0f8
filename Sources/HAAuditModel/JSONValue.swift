/// A JSON value that keeps the order of object keys, for reports whose field order is part of
/// their readability (and of DESIGN's examples).
public enum JSONValue: Sendable, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral {
    case string(String)
    case int(Int)
    case bool(Bool)
    case null
    case array([JSONValue])
    /// An array whose elements are made one at a time while it is written, so that a report of
    /// a hundred thousand findings never holds them all as values.
    case generated(count: Int, element: @Sendable (Int) -> JSONValue)
    case object([(String, JSONValue)])

    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .int(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }

    public static func optional(_ value: String?) -> JSONValue {
        value.map(JSONValue.string) ?? .null
    }

    /// Pretty-printed with two-space indentation and a final newline.
    public func rendered() -> String {
        var output = ""
        write(to: &output, indent: 0)
        output += "\n"
        return output
    }

    private func write(to output: inout String, indent: Int) {
        switch self {
        case .string(let text): Self.writeString(text, to: &output)
        case .int(let number): output += String(number)
        case .bool(let flag): output += flag ? "true" : "false"
        case .null: output += "null"
        case .array(let items):
            guard !items.isEmpty else { output += "[]"; return }
            output += "[\n"
            for (index, item) in items.enumerated() {
                output += Self.indentation(indent + 2)
                item.write(to: &output, indent: indent + 2)
                output += index == items.count - 1 ? "\n" : ",\n"
            }
            output += Self.indentation(indent) + "]"
        case .generated(let count, let element):
            guard count > 0 else { output += "[]"; return }
            output += "[\n"
            for index in 0..<count {
                output += Self.indentation(indent + 2)
                element(index).write(to: &output, indent: indent + 2)
                output += index == count - 1 ? "\n" : ",\n"
            }
            output += Self.indentation(indent) + "]"
        case .object(let fields):
            guard !fields.isEmpty else { output += "{}"; return }
            output += "{\n"
            for (index, (key, value)) in fields.enumerated() {
                output += Self.indentation(indent + 2)
                Self.writeString(key, to: &output)
                output += ": "
                value.write(to: &output, indent: indent + 2)
                output += index == fields.count - 1 ? "\n" : ",\n"
            }
            output += Self.indentation(indent) + "}"
        }
    }

    private static let indents = (0...32).map { String(repeating: " ", count: $0) }

    private static func indentation(_ width: Int) -> String {
        width < indents.count ? indents[width] : String(repeating: " ", count: width)
    }

    private static func writeString(_ text: String, to output: inout String) {
        output += "\""
        // Most strings need no escaping: append them whole.
        if !text.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
            output += text
            output += "\""
            return
        }
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                output += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: output.unicodeScalars.append(scalar)
            }
        }
        output += "\""
    }
}

extension JSONValue {
    /// The fields of an object (empty for any other value).
    package var fields: [(String, JSONValue)] {
        if case .object(let fields) = self { return fields }
        return []
    }
}
