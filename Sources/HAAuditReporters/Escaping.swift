/// How text that came from the input (names, paths, messages, values) is written into each
/// human-readable report, one context each: whatever a manifest says stays visible, inert text.
/// It cannot drive a terminal, open a link, end a table cell, a label or a string, or start a
/// GitHub Actions workflow command.
///
/// Every context first makes active scalars visible: line feed, carriage return and tab as `\n`,
/// `\r`, `\t`; every other C0 control, DEL, C1 control (NEL among them), U+2028, U+2029 and the
/// bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069) as `\u{1B}`
/// (Swift's notation: uppercase hexadecimal, no padding). A backslash from the input is kept as
/// it is where the context gives it no meaning. Then the context escapes its own syntax.
///
/// Escaping goes scalar by scalar, not Character by Character: `|` followed by a combining mark
/// is one Character but still a delimiter to the renderer, and CR LF is one Character of two
/// controls.
public enum Escaping {
    /// Terminal text: active scalars made visible; nothing else means anything.
    public static let terminal = Context(rewriting: "") { _ in nil }

    /// A Markdown table cell or list item: no `|` ends the cell, no bracket makes a link or an
    /// image, no backtick opens code, no emphasis, HTML or entity is rendered.
    static let markdown = Context(rewriting: "\\|[]`*_~<>&") { scalar in
        switch scalar {
        case "<": "&lt;"
        case ">": "&gt;"
        case "&": "&amp;"
        default: "\\\(scalar)"
        }
    }

    /// A quoted Mermaid label (`n0["..."]`): Mermaid's own entities, as a `"` would end the
    /// label, its text is rendered as HTML, `%%{` anywhere starts a directive and a backtick a
    /// Markdown string. (`#` stays: an entity written in a name, `#quot;`, shows as its
    /// character, which is text all the same, and `zone #0` stays as it reads.)
    package static let mermaidLabel = Context(rewriting: "\"<>&%`") { scalar in
        switch scalar {
        case "\"": "#quot;"
        case "<": "#lt;"
        case ">": "#gt;"
        case "&": "#amp;"
        default: "#\(scalar.value);"
        }
    }

    /// A quoted Graphviz string: a backslash would start an escape (`\n`, `\l`, `\N`).
    package static let dotString = Context(rewriting: "\"\\") { "\\\($0)" }

    /// HTML text and attribute values.
    static let html = Context(rewriting: "&<>\"'") { scalar in
        switch scalar {
        case "&": "&amp;"
        case "<": "&lt;"
        case ">": "&gt;"
        case "\"": "&quot;"
        default: "&#39;"
        }
    }

    /// The message of a GitHub Actions workflow command (after the second `::`). The runner
    /// decodes `%25`, `%0D` and `%0A`; line breaks are already visible escapes, so only `%`
    /// needs encoding.
    package static let workflowData = Context(rewriting: "%") { _ in "%25" }

    /// A property value of a workflow command (`file=...,title=...`): also `:` and `,`, which
    /// delimit properties.
    package static let workflowProperty = Context(rewriting: "%:,") { scalar in
        switch scalar {
        case "%": "%25"
        case ":": "%3A"
        default: "%2C"
        }
    }

    /// A path that starts a line of a text report, made visible. It is written `./path` unless
    /// it starts with a letter, a digit, `.`, `/`, `_` or `-`: GitHub Actions reads a line that
    /// starts with `::` or `##[`, even after spaces, as a workflow command.
    static func lineStartingPath(_ path: String) -> String {
        let visible = terminal(path)
        guard let first = visible.unicodeScalars.first else { return visible }
        let isPlain = first.properties.isAlphabetic || ("0"..."9").contains(first) || "./_-".unicodeScalars.contains(first)
        return isPlain ? visible : "./" + visible
    }

    /// A path as a URI reference: percent-encoded, keeping `/`; a relative path whose first
    /// segment holds a colon gets `./` in front, as it would read as a scheme
    /// (`javascript:x.yaml`; RFC 3986, section 4.2).
    static func uriReference(_ path: String) -> String {
        var encoded = ""
        for byte in path.utf8 {
            let scalar = Unicode.Scalar(byte)
            if ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
                || "-._~/!$&'*+,;=:@".unicodeScalars.contains(scalar) {
                encoded.unicodeScalars.append(scalar)
            } else {
                encoded += "%" + (byte < 0x10 ? "0" : "") + String(byte, radix: 16, uppercase: true)
            }
        }
        let firstSegment = encoded.prefix { $0 != "/" }
        return firstSegment.contains(":") ? "./" + encoded : encoded
    }

    /// One output context: the ASCII scalars it rewrites, and how.
    public struct Context: Sendable {
        /// By UTF-8 byte: whether a string holding it may need escaping. Lead bytes of the
        /// active scalars count (0xC2 for C1, 0xE2 for U+2028 and the bidirectional controls).
        private let mayNeedWork: [Bool]
        private let rewrite: @Sendable (Unicode.Scalar) -> String?

        /// `rewrite` is asked only about the scalars of `syntax`. Visible escapes go through it
        /// too, so that a format giving the backslash a meaning (Markdown, dot) escapes theirs.
        init(rewriting syntax: String, _ rewrite: @escaping @Sendable (Unicode.Scalar) -> String?) {
            var table = [Bool](repeating: false, count: 256)
            for byte in 0..<0x20 { table[byte] = true }
            for byte in [0x7F, 0xC2, 0xE2] + syntax.utf8.map(Int.init) { table[byte] = true }
            mayNeedWork = table
            self.rewrite = { syntax.unicodeScalars.contains($0) ? rewrite($0) : nil }
        }

        public func callAsFunction(_ text: String) -> String {
            // Almost every name and message needs nothing: returned as it is, without a copy.
            guard text.utf8.contains(where: { mayNeedWork[Int($0)] }) else { return text }
            var result = ""
            for scalar in text.unicodeScalars {
                if let visible = Self.visible(scalar) {
                    for part in visible.unicodeScalars { append(part, to: &result) }
                } else {
                    append(scalar, to: &result)
                }
            }
            return result
        }

        private func append(_ scalar: Unicode.Scalar, to result: inout String) {
            if let replacement = rewrite(scalar) {
                result += replacement
            } else {
                result.unicodeScalars.append(scalar)
            }
        }

        /// The visible escape of an active scalar; nil for any other.
        static func visible(_ scalar: Unicode.Scalar) -> String? {
            switch scalar.value {
            case 0x0A: "\\n"
            case 0x0D: "\\r"
            case 0x09: "\\t"
            case 0x00...0x1F, 0x7F...0x9F, 0x2028, 0x2029, 0x202A...0x202E, 0x2066...0x2069:
                "\\u{\(String(scalar.value, radix: 16, uppercase: true))}"
            default: nil
            }
        }
    }
}
