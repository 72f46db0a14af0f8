import HAAuditFrontends
import HAAuditModel
import HAAuditReaders

/// Documents of standard input that say where they were rendered from: `helm template` writes
/// `# Source: CHART/templates/x.yaml` (a subchart's: `CHART/charts/SUB/templates/x.yaml`) before
/// each. Their nodes are placed in that template of the chart named CHART under the working
/// directory, so that findings point at the template's lines rather than at `<stdin>`.
struct RenderedSources {
    private let comments: LeadingComments
    private let workingDirectory: String
    /// Chart folders by name, found on the first document that names one.
    private var charts: [String: String]?
    private var templates: [String: TemplateLines?] = [:]
    /// How many objects of each kind each template has rendered so far.
    private var rendered: [String: Int] = [:]

    init(bytes: [UInt8], workingDirectory: String = Discovery.workingDirectory()) {
        comments = LeadingComments(bytes)
        self.workingDirectory = workingDirectory
    }

    /// Where the nodes of the document `root` were written; empty when its source is unknown.
    mutating func origins(of root: Node) -> [Node.ID: SourceLocation] {
        guard let source = comments.before(line: root.position.line).last(where: { $0.hasPrefix("Source:") }),
              let template = template(String(source.dropFirst("Source:".count).drop { $0 == " " })) else { return [:] }
        let kind = root["kind"]?.string ?? ""
        let key = template.path + "\n" + kind
        defer { rendered[key, default: 0] += 1 }
        return template.lines.origins(of: root, kind: kind, occurrence: rendered[key] ?? 0)
    }

    /// The template a `# Source:` path names, read once.
    private mutating func template(_ source: String) -> (path: String, lines: TemplateLines)? {
        let parts = source.split(separator: "/")
        guard parts.count >= 2, !parts.contains(".."), !source.hasPrefix("/") else { return nil }
        if charts == nil { charts = ChartFolders.byName(under: workingDirectory) }
        guard let folder = charts?[String(parts[0])] else { return nil }
        let path = (folder.isEmpty ? [] : [folder]) + parts.dropFirst().map(String.init)
        let displayPath = path.joined(separator: "/")
        if let known = templates[displayPath] { return known.map { (displayPath, $0) } }
        let file = InputFile(displayPath: displayPath, openPath: workingDirectory + "/" + displayPath)
        let lines: TemplateLines? = switch readBytes(of: file, maxBytes: 8 << 20) {
        case .success(let bytes): TemplateLines(path: displayPath, text: String(decoding: bytes, as: UTF8.self))
        case .failure: nil
        }
        templates[displayPath] = lines
        return lines.map { (displayPath, $0) }
    }
}
