/// The fast path's flow collections (`[a, b]`, `{k: v}`), which may span lines.
extension YAMLFastPath {
    mutating func flowCollection(tag: Tag?, parentIndent: Int) throws(Declined) -> Int32 {
        let isMapping = byte() == .openBrace
        let close: UInt8 = isMapping ? .closeBrace : .closeBracket
        try begin(mapping: isMapping, tag: tag)
        at += 1
        try skipFlowSpace(parentIndent: parentIndent)
        guard byte() != close else {
            at += 1
            return tree.end()
        }
        while true {
            if isMapping {
                switch byte() {
                case .doubleQuote, .singleQuote: _ = try quotedScalar(tag: nil)
                default: _ = try plainScalar(tag: nil, inFlow: true)
                }
                skipSpaces()
                guard byte() == .colon, isBlank(byte(1)) else { throw Declined() }
                at += 1
                try skipFlowSpace(parentIndent: parentIndent)
                guard byte() != .comma, byte() != close else { throw Declined() }
            }
            _ = try flowNode(parentIndent: parentIndent)
            try skipFlowSpace(parentIndent: parentIndent)
            if byte() == close { break }
            // A `:` here would make a one-pair mapping inside a sequence: libyaml's to read.
            guard byte() == .comma else { throw Declined() }
            at += 1
            try skipFlowSpace(parentIndent: parentIndent)
            guard byte() != close, byte() != .comma else { throw Declined() }
        }
        guard !isMapping || tree.repeatedKeyError() == nil else { throw Declined() }
        at += 1
        return tree.end()
    }

    private mutating func flowNode(parentIndent: Int) throws(Declined) -> Int32 {
        var tag: Tag?
        if byte() == .bang {
            tag = try scanTag()
            guard byte() == .space else { throw Declined() }
            skipSpaces()
        }
        switch byte() {
        case .openBracket, .openBrace: return try flowCollection(tag: tag, parentIndent: parentIndent)
        case .doubleQuote, .singleQuote: return try quotedScalar(tag: tag)
        default: return try plainScalar(tag: tag, inFlow: true)
        }
    }

    /// Spaces, comments and line breaks inside a flow collection. Continuation lines must be
    /// indented past the enclosing block collection, and must not be document markers.
    private mutating func skipFlowSpace(parentIndent: Int) throws(Declined) {
        var crossedLine = false
        while true {
            switch byte() {
            case .space:
                at += 1
            case .newline:
                nextLine()
                crossedLine = true
            case .hash:
                guard at > lineStart, text[at - 1] == .space else { throw Declined() }
                skipComment()
            default:
                if crossedLine {
                    guard at - lineStart > parentIndent, !isDocumentMarker(.dash), !isDocumentMarker(.dot) else { throw Declined() }
                }
                return
            }
        }
    }
}
