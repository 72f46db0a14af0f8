import HAAuditModel
import HAAuditReaders

/// Where the fields of a rendered object were written in the Helm template it came from.
///
/// A template is not YAML (`{{ ... }}` directives stand anywhere), so its text is read as lines,
/// by indentation: a line that is only directives or a comment is left out; a line is a key line
/// when it reads `key: ...` or `- key: ...` (a key that is itself a directive matches nothing);
/// `---` lines separate the template's documents. A field is found by walking its key path down
/// that outline: keys at the indentation of their mapping, the n-th `-` item of a sequence. What
/// is not written literally (a block emitted by `toYaml`, the items of a `range`, keys inside
/// `{...}`) takes the line of the nearest ancestor found; an object found nowhere takes its
/// `kind:` line, or line 1.
package struct TemplateLines: Sendable {
    private struct Line: Sendable {
        /// 1-based.
        var number: Int
        /// Where the line's first character is (the `-` of an item).
        var indent: Int
        /// Where the key starts (after `- ` for an item); nil for a bare `-`.
        var keyColumn: Int?
        var key: Substring?
        /// What follows the key's colon, when it is written literally.
        var value: Substring?
        var isItem: Bool
    }

    private let path: String
    private var lines: [Line] = []
    /// The template's documents, as ranges of `lines`.
    private var documents: [Range<Int>] = []

    package init(path: String, text: String) {
        self.path = path
        var start = 0
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.hasSuffix("\r") ? raw.dropLast() : raw
            if line.hasPrefix("---"), line.dropFirst(3).allSatisfy(\.isWhitespace) {
                documents.append(start..<lines.count)
                start = lines.count
                continue
            }
            if let parsed = Self.parse(line, number: index + 1) { lines.append(parsed) }
        }
        documents.append(start..<lines.count)
        documents.removeAll { $0.isEmpty }
    }

    private static func parse(_ line: Substring, number: Int) -> Line? {
        let indent = line.prefix { $0 == " " }.count
        var content = line.dropFirst(indent)
        guard let first = content.first, first != "#", !isOnlyDirectives(content) else { return nil }
        var isItem = false
        var keyColumn: Int? = indent
        if first == "-", content.dropFirst().first.map({ $0 == " " || $0 == "\t" }) ?? true {
            isItem = true
            let rest = content.dropFirst()
            let blanks = rest.prefix { $0 == " " || $0 == "\t" }.count
            content = rest.dropFirst(blanks)
            keyColumn = content.isEmpty ? nil : indent + 1 + blanks
        }
        let key = key(of: content)
        return Line(number: number, indent: indent, keyColumn: keyColumn, key: key?.key, value: key?.value, isItem: isItem)
    }

    /// Whether a line holds nothing but `{{ ... }}` directives and blanks.
    private static func isOnlyDirectives(_ content: Substring) -> Bool {
        var rest = content
        while true {
            rest = rest.drop { $0 == " " || $0 == "\t" }
            if rest.isEmpty { return true }
            guard rest.hasPrefix("{{"), let close = rest.firstRange(of: "}}") else { return false }
            rest = rest[close.upperBound...]
        }
    }

    /// The key of `key: value`, unquoted, and the value when it is literal; nil when the line is
    /// no key line or its key is a directive.
    private static func key(of content: Substring) -> (key: Substring, value: Substring?)? {
        let key: Substring, rest: Substring
        if let quote = content.first, quote == "\"" || quote == "'" {
            guard let end = content.dropFirst().firstIndex(of: quote) else { return nil }
            let after = content[content.index(after: end)...]
            guard after.hasPrefix(":") else { return nil }
            key = content[content.index(after: content.startIndex)..<end]
            rest = after.dropFirst()
        } else {
            guard let colon = content.indices.first(where: { index in
                content[index] == ":" && (content.index(after: index) == content.endIndex || content[content.index(after: index)] == " ")
            }) else { return nil }
            key = content[..<colon]
            rest = content[colon...].dropFirst()
            guard !key.isEmpty, !key.contains("{{"), key.first != "{", key.first != "[" else { return nil }
        }
        var value = rest.drop { $0 == " " }
        if let comment = value.firstRange(of: " #") { value = value[..<comment.lowerBound] }
        while value.last == " " { value = value.dropLast() }
        if let quote = value.first, quote == "\"" || quote == "'", value.count >= 2, value.last == quote { value = value.dropFirst().dropLast() }
        return (key, value.contains("{{") ? nil : value)
    }

    /// Where each node of `root` (an object of `kind`, the `occurrence`-th of that kind rendered
    /// from this template) was written, by node.
    package func origins(of root: Node, kind: String, occurrence: Int) -> [Node.ID: SourceLocation] {
        var origins: [Node.ID: SourceLocation] = [:]
        guard let document = document(kind: kind, occurrence: occurrence) else {
            record(root, at: SourceLocation(path: path, line: 1, column: 1), into: &origins)
            return origins
        }
        let rootColumn = lines[document.lowerBound].keyColumn ?? 0
        let anchor = keyLine("kind", in: document, column: rootColumn) ?? document.lowerBound
        walk(root, scope: document, anchor: anchor, into: &origins)
        return origins
    }

    /// The template document an object of `kind` came from: the `occurrence`-th whose `kind:` is
    /// that kind, else one whose kind is not written literally, else the first.
    private func document(kind: String, occurrence: Int) -> Range<Int>? {
        var literal: [Range<Int>] = [], open: [Range<Int>] = []
        for document in documents {
            let column = lines[document.lowerBound].keyColumn ?? 0
            guard let line = keyLine("kind", in: document, column: column) else { open.append(document); continue }
            if lines[line].value == Substring(kind) { literal.append(document) } else if lines[line].value == nil { open.append(document) }
        }
        if literal.indices.contains(occurrence) { return literal[occurrence] }
        return open.first ?? literal.last ?? documents.first
    }

    private func location(_ index: Int) -> SourceLocation {
        SourceLocation(path: path, line: lines[index].number, column: (lines[index].keyColumn ?? lines[index].indent) + 1)
    }

    /// Gives `node` and everything below it one place.
    private func record(_ node: Node, at location: SourceLocation, into origins: inout [Node.ID: SourceLocation]) {
        origins[node.id] = location
        for entry in node.entries {
            origins[entry.key.id] = location
            record(entry.value, at: location, into: &origins)
        }
        for item in node.items { record(item, at: location, into: &origins) }
    }

    /// Places `node`, written at line `anchor`, whose content (when written literally) is in `scope`.
    private func walk(_ node: Node, scope: Range<Int>?, anchor: Int, into origins: inout [Node.ID: SourceLocation]) {
        origins[node.id] = location(anchor)
        if node.isMapping {
            let keys = scope.map { keyLines(in: $0) } ?? [:]
            for entry in node.entries {
                guard let name = entry.key.scalar, let line = keys[Substring(name)] else {
                    origins[entry.key.id] = location(anchor)
                    walk(entry.value, scope: nil, anchor: anchor, into: &origins)
                    continue
                }
                origins[entry.key.id] = location(line)
                walk(entry.value, scope: valueScope(of: line, within: scope?.upperBound ?? line + 1), anchor: line, into: &origins)
            }
        } else if node.isSequence {
            let items = scope.map { itemLines(in: $0) } ?? []
            for (position, item) in node.items.enumerated() {
                guard items.indices.contains(position) else {
                    walk(item, scope: nil, anchor: anchor, into: &origins)
                    continue
                }
                let line = items[position]
                let end = items.indices.contains(position + 1) ? items[position + 1] : scope?.upperBound ?? line + 1
                walk(item, scope: line..<end, anchor: line, into: &origins)
            }
        }
    }

    /// The key lines of the mapping whose first line opens `scope`, at that line's key column.
    private func keyLines(in scope: Range<Int>) -> [Substring: Int] {
        guard let column = scope.lazy.compactMap({ self.lines[$0].keyColumn }).first else { return [:] }
        var keys: [Substring: Int] = [:]
        for index in scope where lines[index].keyColumn == column && (index == scope.lowerBound || !lines[index].isItem) {
            if let key = lines[index].key, keys[key] == nil { keys[key] = index }
        }
        return keys
    }

    private func keyLine(_ key: Substring, in scope: Range<Int>, column: Int) -> Int? {
        scope.first { lines[$0].keyColumn == column && lines[$0].key == key }
    }

    /// The `-` lines of the sequence that opens `scope`.
    private func itemLines(in scope: Range<Int>) -> [Int] {
        guard let first = scope.first(where: { lines[$0].isItem }) else { return [] }
        let indent = lines[first].indent
        return scope.filter { lines[$0].isItem && lines[$0].indent == indent }
    }

    /// The lines below key line `index` that hold its value: up to a line less indented than
    /// its key, or as indented and no `-` item (a sequence may sit at its key's indentation).
    private func valueScope(of index: Int, within bound: Int) -> Range<Int>? {
        guard let column = lines[index].keyColumn else { return nil }
        var end = index + 1
        while end < bound, lines[end].indent > column || (lines[end].indent == column && lines[end].isItem) { end += 1 }
        return end > index + 1 ? index + 1..<end : nil
    }
}
