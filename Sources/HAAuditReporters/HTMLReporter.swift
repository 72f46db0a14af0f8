import HAAuditEngine
import HAAuditModel
import HAAuditReaders

/// One self-contained HTML page (`--format html`): the score, the topology drawn as SVG, what a
/// zone loss leaves standing, and the findings grouped by component with the lines they point
/// at. No script, no network: a Content-Security-Policy forbids loading anything.
public enum HTMLReporter {
    public static func render(_ result: AuditResult) -> String {
        let shown = result.findings.filter { !$0.isSuppressed }
        let counts = result.severityCounts.map { "\($0.count) \($0.severity.rawValue)" }
        var page = """
            <!doctype html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>haaudit: \(result.score.overall)/100, grade \(Escaping.html(result.score.gradeWithCap))</title>
            <style>\(style)</style>
            </head>
            <body>
            <header><h1>haaudit</h1><div class="score grade-\(Escaping.html(result.score.grade))">\(result.score.overall)<small>/100</small> <b>\(Escaping.html(result.score.grade))</b></div>
            <p>\(counted(result.files, "file")), \(counted(result.topology.components.count, "component")), \(counted(shown.count, "finding")) (\(counts.joined(separator: ", "))).</p></header>

            """
        if !result.diagnostics.isEmpty {
            page += "<section><h2>Input problems</h2><p>Not everything was audited.</p><ul>\n"
            page += result.diagnostics.map { "<li><code>\(Escaping.html($0.location.description))</code> \(Escaping.html($0.level.rawValue)): \(Escaping.html($0.message))</li>\n" }.joined()
            page += "</ul></section>\n"
        }
        page += "<section><h2>Topology</h2><p>Components coloured by their worst finding; arrows are relationships.</p>\n\(TopologyDrawing(result).svg)</section>\n"
        page += zoneLoss(result)
        page += findingsByComponent(shown)
        return page + "</body>\n</html>\n"
    }

    private static func zoneLoss(_ result: AuditResult) -> String {
        guard let outcomes = try? Simulation(scenario: .zone).run(result.topology), !outcomes.isEmpty else { return "" }
        var html = "<section><h2>Losing a zone</h2><p>Worst case for each component (<code>haaudit simulate --fail zone</code>).</p>\n"
        html += "<table><thead><tr><th>status</th><th>instances</th><th>component</th><th>why</th></tr></thead><tbody>\n"
        for outcome in outcomes {
            let instances = outcome.instancesBefore.map { "\($0) → \(outcome.instancesAfter.map(String.init) ?? "?")" } ?? "–"
            let chain = outcome.chain.isEmpty ? "" : "<br><small>via \(outcome.chain.map { Escaping.html($0.title) }.joined(separator: " → "))</small>"
            html += "<tr class=\"\(outcome.status.rawValue)\"><td>\(outcome.status.rawValue)</td><td>\(instances)</td>"
                + "<td>\(Escaping.html(outcome.component.profiledTitle))</td>"
                + "<td>\(Escaping.html(outcome.reasons.joined(separator: "; ")))\(chain)</td></tr>\n"
        }
        return html + "</tbody></table></section>\n"
    }

    private static func findingsByComponent(_ findings: [Finding]) -> String {
        guard !findings.isEmpty else { return "<section><h2>Findings</h2><p>No findings.</p></section>\n" }
        var order: [String] = []
        var byComponent: [String: [Finding]] = [:]
        for finding in findings {
            if byComponent[finding.component.id] == nil { order.append(finding.component.id) }
            byComponent[finding.component.id, default: []].append(finding)
        }
        var snippets = SourceSnippets()
        var html = "<section><h2>Findings by component</h2>\n"
        for id in order {
            let group = byComponent[id]!
            let component = group[0].component
            let worst = group.map(\.severity).max()!
            html += "<details open><summary><span class=\"badge \(worst.rawValue)\">\(worst.rawValue)</span> "
                + "\(Escaping.html(component.title + Component.profileSuffix(group[0].profile))) <small>\(counted(group.count, "finding"))</small></summary>\n"
            for finding in group {
                html += "<div class=\"finding\"><p><span class=\"badge \(finding.severity.rawValue)\">\(finding.severity.rawValue)</span> "
                    + "<b>\(Escaping.html(finding.ruleName))</b> <code>\(Escaping.html(finding.location.description))</code></p>"
                    + "<p>\(Escaping.html(finding.message))</p><p class=\"fix\">\(Escaping.html(finding.remediation))</p>"
                html += snippets.html(at: finding.location) + "</div>\n"
            }
            html += "</details>\n"
        }
        return html + "</section>\n"
    }

    private static let style = """
        body{font:14px/1.45 system-ui,sans-serif;margin:0 auto;max-width:1200px;padding:0 24px 48px;color:#1f2328}
        header{display:flex;flex-wrap:wrap;align-items:center;gap:8px 24px;border-bottom:1px solid #d0d7de}
        header p{flex-basis:100%;margin:0 0 16px}
        h1{margin:16px 0}.score{font-size:28px;font-weight:600}.score small{font-size:16px;color:#59636e}
        .score b{display:inline-block;padding:0 10px;border-radius:6px;color:#fff;background:#59636e}
        .grade-A b{background:#1a7f37}.grade-B b{background:#4c8f2a}.grade-C b{background:#bf8700}.grade-D b,.grade-F b{background:#cf222e}
        h2{margin-top:32px}table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:4px 8px;border-bottom:1px solid #d0d7de;vertical-align:top}
        tr.down td:first-child{color:#cf222e;font-weight:600}tr.degraded td:first-child{color:#9a6700;font-weight:600}
        tr.unknown td:first-child{color:#59636e;font-weight:600}tr.up td:first-child{color:#1a7f37}
        details{border:1px solid #d0d7de;border-radius:6px;margin:8px 0;padding:4px 12px}summary{cursor:pointer;font-weight:600;padding:4px 0}
        .finding{border-top:1px solid #eaeef2;padding:4px 0}.finding p{margin:4px 0}.fix{color:#59636e}
        .badge{display:inline-block;min-width:56px;text-align:center;border-radius:10px;font-size:12px;padding:0 6px;color:#000}
        .critical{background:#b60205;color:#fff}.high{background:#e4606d}.medium{background:#fbca04}.low{background:#c5def5}.info{background:#eaeef2}
        pre{background:#f6f8fa;padding:8px;overflow-x:auto;font-size:12px;margin:4px 0}pre mark{background:#fff8c5;display:block}
        svg{max-width:100%;height:auto;border:1px solid #d0d7de;border-radius:6px}svg text{font:12px system-ui,sans-serif}
        """
}

/// The lines around a finding, read from the file its location names (once a file).
struct SourceSnippets {
    private var files: [String: [String]] = [:]

    mutating func html(at location: SourceLocation, context: Int = 2) -> String {
        guard location.path != "-", location.line > 0 else { return "" }
        if files[location.path] == nil {
            let file = InputFile(displayPath: location.path, openPath: location.path)
            let bytes = (try? readBytes(of: file, maxBytes: 32 << 20).get()) ?? []
            // Split on the byte, not the Character: CR LF is one Character, and no "\n".
            files[location.path] = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map { line in
                String(decoding: line.last == UInt8(ascii: "\r") ? line.dropLast() : line, as: UTF8.self)
            }
        }
        let lines = files[location.path]!
        guard location.line <= lines.count else { return "" }
        let range = max(1, location.line - context)...min(lines.count, location.line + context)
        let body = range.map { number in
            let text = "\(number)".leftPadded(to: 5) + "  " + Escaping.html(String(lines[number - 1].prefix(240)))
            return number == location.line ? "<mark>\(text)</mark>" : text + "\n"
        }
        return "<pre>\(body.joined())</pre>"
    }
}

/// The topology as an SVG: components in columns by how far downstream they are (an Ingress,
/// then its Service, then the workload), arrows for relationships.
struct TopologyDrawing {
    static let limit = 400
    static let width = 230, height = 44, columnGap = 70, rowGap = 14
    let svg: String

    init(_ result: AuditResult) {
        let graph = GraphReporter.Graph(result)
        guard !graph.nodes.isEmpty else {
            svg = "<p>No components.</p>"
            return
        }
        guard graph.nodes.count <= Self.limit else {
            svg = "<p>\(graph.nodes.count) components: too many to draw here; <code>haaudit topology --format dot</code> draws them with Graphviz.</p>"
            return
        }
        // Longest path from a component nothing points at; a cycle stops growing after n rounds.
        var column = [Int](repeating: 0, count: graph.nodes.count)
        for _ in 0..<graph.nodes.count {
            var changed = false
            for edge in graph.edges where column[edge.to] < column[edge.from] + 1 && edge.from != edge.to {
                column[edge.to] = column[edge.from] + 1
                changed = true
            }
            if !changed { break }
        }
        var rows = [Int](repeating: 0, count: graph.nodes.count)
        var filled: [Int: Int] = [:]
        for index in graph.nodes.indices {
            rows[index] = filled[column[index], default: 0]
            filled[column[index], default: 0] += 1
        }
        func x(_ index: Int) -> Int { 10 + column[index] * (Self.width + Self.columnGap) }
        func y(_ index: Int) -> Int { 10 + rows[index] * (Self.height + Self.rowGap) }
        let totalWidth = 20 + ((column.max() ?? 0) + 1) * (Self.width + Self.columnGap) - Self.columnGap
        let totalHeight = 20 + (filled.values.max() ?? 1) * (Self.height + Self.rowGap) - Self.rowGap
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(totalWidth)\" height=\"\(totalHeight)\" viewBox=\"0 0 \(totalWidth) \(totalHeight)\" role=\"img\">\n"
        svg += "<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto\"><path d=\"M0,0L10,5L0,10z\" fill=\"#57606a\"/></marker></defs>\n"
        for edge in graph.edges {
            let (x1, y1) = (x(edge.from) + Self.width, y(edge.from) + Self.height / 2)
            let (x2, y2) = (x(edge.to), y(edge.to) + Self.height / 2)
            svg += "<path d=\"M\(x1),\(y1) C\(x1 + 40),\(y1) \(x2 - 40),\(y2) \(x2),\(y2)\" fill=\"none\" stroke=\"#8c959f\" marker-end=\"url(#arrow)\"><title>\(Escaping.html(edge.kind))</title></path>\n"
        }
        for (index, node) in graph.nodes.enumerated() {
            let caption = [node.severity?.rawValue, node.zone.map(GraphReporter.zoneLabel)].compactMap { $0 }.joined(separator: " · ")
            let tooltip = [node.title, node.severity?.rawValue].compactMap { $0 }.joined(separator: ", ")
            svg += "<g><title>\(Escaping.html(tooltip))</title>"
                + "<rect x=\"\(x(index))\" y=\"\(y(index))\" width=\"\(Self.width)\" height=\"\(Self.height)\" rx=\"6\" fill=\"\(node.shade.fill)\" stroke=\"#57606a\"/>"
                + "<text x=\"\(x(index) + 8)\" y=\"\(y(index) + 18)\" fill=\"\(node.shade.text)\">\(Escaping.html(node.shortTitle.truncated(to: 34)))</text>"
                + "<text x=\"\(x(index) + 8)\" y=\"\(y(index) + 34)\" fill=\"\(node.shade.text)\" font-size=\"11\">\(Escaping.html(caption.truncated(to: 38)))</text></g>\n"
        }
        self.svg = svg + "</svg>\n"
    }
}

private extension String {
    func truncated(to length: Int) -> String {
        count <= length ? self : String(prefix(length - 1)) + "…"
    }
}
