/// Cheap tests on a file's raw bytes, before or instead of parsing it (DESIGN section 11): what
/// lets a repository's other files (tsconfig, seed data, empty settings) pass quietly while a
/// broken manifest is still an error.
package enum ManifestSniffing {
    /// UTF-16 with a byte-order mark, as UTF-8 without the mark; any other bytes as they are.
    package static func decodingUTF16(_ bytes: [UInt8]) -> [UInt8] {
        let littleEndian: Bool
        if bytes.starts(with: [0xFF, 0xFE]) {
            littleEndian = true
        } else if bytes.starts(with: [0xFE, 0xFF]) {
            littleEndian = false
        } else {
            return bytes
        }
        var units: [UInt16] = []
        units.reserveCapacity(bytes.count / 2)
        var index = 2
        while index + 1 < bytes.count {
            let (low, high) = littleEndian ? (bytes[index], bytes[index + 1]) : (bytes[index + 1], bytes[index])
            units.append(UInt16(high) << 8 | UInt16(low))
            index += 2
        }
        return Array(String(decoding: units, as: UTF16.self).utf8)
    }

    /// Whether the file holds nothing but whitespace and its syntax's comments (and, for XML,
    /// its declaration): an empty file, skipped in every format.
    package static func isBlank(_ bytes: [UInt8], syntax: DocumentSyntax) -> Bool {
        var index = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        while index < bytes.count {
            if isSpace(bytes[index]) {
                index += 1
                continue
            }
            let rest = bytes[index...]
            switch syntax {
            case .yaml:
                // A comment, or a document marker with nothing in its document.
                guard rest.starts(with: "#".utf8) || rest.starts(with: "---".utf8) || rest.starts(with: "...".utf8) else { return false }
                index = end(of: rest, at: "\n") ?? bytes.count
            case .json:
                if rest.starts(with: "//".utf8) {
                    index = end(of: rest, at: "\n") ?? bytes.count
                } else if rest.starts(with: "/*".utf8), let end = end(of: rest, at: "*/") {
                    index = end
                } else {
                    return false
                }
            case .xml:
                if rest.starts(with: "<?".utf8), let end = end(of: rest, at: "?>") {
                    index = end
                } else if rest.starts(with: "<!--".utf8), let end = end(of: rest, at: "-->") {
                    index = end
                } else {
                    return false
                }
            }
        }
        return true
    }

    /// Whether a file that does not parse was meant as a manifest, and so is an error rather
    /// than a file skipped: a line that starts with `apiVersion:` or `kind:`; a JSON
    /// `"apiVersion"` key; `AWSTemplateFormatVersion`, or `Resources` with an `AWS::` type; or the
    /// namespace of a Service Fabric or Cloud Services document. A `*.template` file is a
    /// template of anything (envsubst, nginx): only CloudFormation's markers count in it.
    package static func looksLikeManifest(_ bytes: [UInt8], path: String = "") -> Bool {
        if contains(bytes, "AWSTemplateFormatVersion") || (contains(bytes, "AWS::") && contains(bytes, "Resources")) { return true }
        if path.lowercased().hasSuffix(".template") { return false }
        for marker in ["\"apiVersion\"", "schemas.microsoft.com/2011/01/fabric", "schemas.microsoft.com/ServiceHosting/"]
            where contains(bytes, marker) {
            return true
        }
        var lineStart = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        while lineStart < bytes.count {
            let line = bytes[lineStart...]
            if line.starts(with: "apiVersion:".utf8) || line.starts(with: "kind:".utf8) { return true }
            guard let next = end(of: line, at: "\n") else { break }
            lineStart = next
        }
        return false
    }

    /// JSON with comments and trailing commas (tsconfig.json, appsettings.json) as strict JSON:
    /// comments and trailing commas become spaces (newlines kept), so lines and columns stay.
    package static func strippingJSONComments(_ bytes: [UInt8]) -> [UInt8] {
        var result = bytes
        var index = 0
        var lastSignificant: Int?
        while index < result.count {
            let byte = result[index]
            if byte == UInt8(ascii: "\"") {
                index += 1
                while index < result.count && result[index] != UInt8(ascii: "\"") {
                    index += result[index] == UInt8(ascii: "\\") ? 2 : 1
                }
                lastSignificant = index
                index += 1
                continue
            }
            let rest = result[index...]
            if rest.starts(with: "//".utf8) || rest.starts(with: "/*".utf8) {
                let end = rest.starts(with: "//".utf8) ? (self.end(of: rest, at: "\n").map { $0 - 1 } ?? result.count)
                    : (self.end(of: rest, at: "*/") ?? result.count)
                for blank in index..<end where result[blank] != UInt8(ascii: "\n") { result[blank] = UInt8(ascii: " ") }
                index = end
                continue
            }
            if byte == UInt8(ascii: "}") || byte == UInt8(ascii: "]"), let comma = lastSignificant, result[comma] == UInt8(ascii: ",") {
                result[comma] = UInt8(ascii: " ")
            }
            if !isSpace(byte) { lastSignificant = index }
            index += 1
        }
        return result
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }

    /// The index just past the first `terminator` in `bytes`, nil when there is none.
    private static func end(of bytes: ArraySlice<UInt8>, at terminator: String) -> Int? {
        let needle = Array(terminator.utf8)
        guard let start = firstIndex(of: needle, in: bytes) else { return nil }
        return start + needle.count
    }

    private static func contains(_ bytes: [UInt8], _ text: String) -> Bool {
        firstIndex(of: Array(text.utf8), in: bytes[...]) != nil
    }

    private static func firstIndex(of needle: [UInt8], in bytes: ArraySlice<UInt8>) -> Int? {
        guard let first = needle.first, bytes.count >= needle.count else { return nil }
        var index = bytes.startIndex
        let last = bytes.endIndex - needle.count
        while index <= last {
            if bytes[index] == first && bytes[index..<index + needle.count].elementsEqual(needle) { return index }
            index += 1
        }
        return nil
    }
}
