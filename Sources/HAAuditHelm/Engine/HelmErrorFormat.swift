import Foundation

/// Helm's rewording of template errors (`cleanupParseError`, `reformatExecErrorMsg`).
enum HelmErrorFormat {
    /// `required` and `fail` wrap their message so the engine can find it in the error chain
    /// and report it alone (`execution error at (file:line:col): message`).
    static func warnWrap(_ message: String) -> String { "HELM[\(message)]HELM" }

    /// `parse error at (file:line): message`, the message being the text after the last `: `.
    static func parseError(file: String, _ error: TemplateError) -> HelmRenderError {
        let tokens = error.message.components(separatedBy: ": ")
        guard tokens.count > 1 else {
            return HelmRenderError(path: file, line: nil, message: "parse error in (\(file)): \(error.message)")
        }
        return HelmRenderError(path: file, line: line(of: tokens[1]), message: "parse error at (\(tokens[1])): \(tokens[tokens.count - 1])")
    }

    /// A wrapped `required`/`fail` message is reported at the top-level location; other
    /// errors become Helm's trace, one frame per nested template error:
    ///
    ///     shop/templates/svc.yaml:1:9
    ///       executing "shop/templates/svc.yaml" at <include "x" .>:
    ///         error calling include:
    ///     shop/templates/_helpers.tpl:3:4
    ///       ...
    static func executionError(file: String, _ error: TemplateError) -> HelmRenderError {
        let message = error.message
        let tokens = message.components(separatedBy: ": ")
        guard tokens.count >= 3, tokens[0] == "template" else {
            return HelmRenderError(path: file, line: nil, message: "execution error in (\(file)): \(message)")
        }
        let location = tokens[1]
        let rest = tokens[2...].joined(separator: ": ")
        if let open = rest.range(of: "HELM["), let close = rest.range(of: "]HELM", options: .backwards), open.upperBound <= close.lowerBound {
            return HelmRenderError(path: file, line: line(of: location), message: "execution error at (\(location)): \(rest[open.upperBound..<close.lowerBound])")
        }
        guard let frames = trace(message) else { return HelmRenderError(path: file, line: line(of: location), message: message) }
        var text = ""
        for frame in frames {
            if let location = frame.location { text += location + "\n  " }
            if let executing = frame.executing { text += executing + "\n    " }
            text += frame.message + "\n"
        }
        return HelmRenderError(path: file, line: line(of: location), message: text.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    private struct Frame {
        var location: String?
        var executing: String?
        var message: String
    }

    /// Splits `template: A:1:2: executing "A" at <x>: error calling include: template: B:...`
    /// into frames; nil when the text is not a chain of template errors.
    private static func trace(_ message: String) -> [Frame]? {
        var frames: [Frame] = []
        var rest = Substring(message)
        let prefix = "template: "
        while true {
            guard rest.hasPrefix(prefix) else { return nil }
            if rest.hasPrefix("template: no template ") {
                frames.append(Frame(message: String(rest)))
                return frames
            }
            let body = rest.dropFirst(prefix.count)
            guard let (location, afterLocation) = splitLocation(body) else { return nil }
            var frame = Frame(location: String(location), message: "")
            var text = afterLocation
            if text.hasPrefix("executing \""), let at = text.range(of: "\" at <"), let end = text.range(of: ">: ", range: at.upperBound..<text.endIndex) {
                frame.executing = "executing \"\(text[text.index(text.startIndex, offsetBy: 11)..<at.lowerBound])\" at <\(text[at.upperBound..<end.lowerBound])>:"
                text = text[end.upperBound...]
            }
            if let next = text.range(of: prefix) {
                frame.message = String(text[..<next.lowerBound]).trimmingCharacters(in: .whitespaces)
                frames.append(frame)
                rest = text[next.lowerBound...]
            } else {
                frame.message = String(text)
                frames.append(frame)
                return frames
            }
        }
    }

    /// `name:LINE:COL: rest` -> (`name:LINE:COL`, `rest`), the first `:digits:digits: ` deciding.
    private static func splitLocation(_ text: Substring) -> (Substring, Substring)? {
        var index = text.startIndex
        while let colon = text[index...].firstIndex(of: ":") {
            var cursor = text.index(after: colon)
            var numbers = 0
            while numbers < 2 {
                let digitsStart = cursor
                while cursor < text.endIndex, text[cursor].isASCIIDigit { cursor = text.index(after: cursor) }
                guard cursor > digitsStart, cursor < text.endIndex, text[cursor] == ":" else { break }
                numbers += 1
                if numbers == 2 { break }
                cursor = text.index(after: cursor)
            }
            if numbers == 2, text[cursor...].hasPrefix(": ") {
                return (text[..<cursor], text[text.index(cursor, offsetBy: 2)...])
            }
            index = text.index(after: colon)
        }
        return nil
    }

    /// The line of `file:LINE` or `file:LINE:COL`.
    static func line(of location: String) -> Int? {
        let parts = location.split(separator: ":")
        if parts.count >= 3, let line = Int(parts[parts.count - 2]), Int(parts[parts.count - 1]) != nil { return line }
        return parts.last.flatMap { Int($0) }
    }
}
