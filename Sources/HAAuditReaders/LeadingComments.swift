/// The comment lines written before a document of a YAML stream, between its `---` (or the start
/// of the stream) and its first node: where renderers say what the document came from
/// (`# Source: chart/templates/x.yaml` from `helm template`). libyaml reports no comments, so the
/// raw lines are read, backwards from the document's first line; they are not manifest content.
package struct LeadingComments {
    private let bytes: [UInt8]
    /// The offset each line starts at.
    private let lineStarts: [Int]

    package init(_ bytes: [UInt8]) {
        self.bytes = bytes
        var starts = [0]
        for (offset, byte) in bytes.enumerated() where byte == UInt8(ascii: "\n") { starts.append(offset + 1) }
        lineStarts = starts
    }

    /// The comments (without `#` and surrounding blanks) of the lines before `line` (1-based),
    /// nearest last, back to a `---` line or any other content.
    package func before(line: Int) -> [String] {
        var comments: [String] = []
        var current = min(line, lineStarts.count) - 1
        while current > 0 {
            current -= 1
            let text = self.line(current)
            if text.isEmpty { continue }
            guard text.first == "#" else { break }
            comments.append(String(Self.trimmed(text.dropFirst())))
        }
        return comments.reversed()
    }

    /// Line `index` (0-based) without its indentation and trailing blanks.
    private func line(_ index: Int) -> Substring {
        let end = index + 1 < lineStarts.count ? lineStarts[index + 1] : bytes.count
        return Self.trimmed(Substring(decoding: bytes[lineStarts[index]..<end], as: UTF8.self))
    }

    private static func trimmed(_ text: Substring) -> Substring {
        var text = text
        while let first = text.first, first.isWhitespace { text = text.dropFirst() }
        while let last = text.last, last.isWhitespace { text = text.dropLast() }
        return text
    }
}
