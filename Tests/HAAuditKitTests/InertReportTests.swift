import Foundation
import Testing

/// Reports are read by terminals, Markdown, Mermaid and Graphviz renderers, browsers and the
/// GitHub Actions runner, and whatever a manifest says (names, paths, messages, values) is
/// hostile: in every human-readable report it stays visible, inert text. And the same input
/// gives the same bytes, run after run, whatever `--jobs` is.
@Suite("Inert reports", .serialized)
struct InertReportTests {
    /// Scalars that act on a terminal or a renderer instead of showing: C0 controls (a line
    /// break is the report's own), DEL, C1 controls, the Unicode line and paragraph separators,
    /// and the bidirectional overrides and isolates that reorder what is shown.
    static func isActive(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x0A: false
        case 0x00...0x1F, 0x7F...0x9F, 0x2028, 0x2029, 0x202A...0x202E, 0x2066...0x2069: true
        default: false
        }
    }

    /// `text` as a YAML double-quoted scalar, every scalar outside printable ASCII written as an
    /// escape, so that any name can be put in a manifest.
    static func yamlQuoted(_ text: String) -> String {
        var quoted = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": quoted += "\\\""
            case "\\": quoted += "\\\\"
            case " "..."~": quoted.unicodeScalars.append(scalar)
            default: quoted += "\\U" + String(format: "%08X", scalar.value)
            }
        }
        return quoted + "\""
    }

    /// A Deployment, a Service whose selector matches nothing (its message quotes the values)
    /// and a zone, all named `name`.
    static func manifest(named name: String) -> String {
        let quoted = yamlQuoted(name)
        return """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: \(quoted)
              namespace: \(quoted)
            spec:
              replicas: 1
              selector: {matchLabels: {app: \(quoted)}}
              template:
                metadata: {labels: {app: \(quoted)}}
                spec:
                  nodeSelector: {topology.kubernetes.io/zone: \(quoted)}
                  containers: [{name: \(quoted), image: nginx}]
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: \(quoted), namespace: \(quoted)}
            spec: {selector: {app: \(yamlQuoted(name + "-other"))}, ports: [{port: 80}]}

            """
    }

    /// Every human-readable report of `paths` (scan text, Markdown with the graph, HTML, GitHub
    /// commands, topology Mermaid and dot, simulate text), by name.
    static func reports(of paths: [String], in folder: URL) throws -> [String: String] {
        let commands: [String: [String]] = [
            "text": ["scan", "--format", "text"],
            "markdown": ["scan", "--format", "markdown", "--graph"],
            "html": ["scan", "--format", "html"],
            "github": ["scan", "--format", "github"],
            "mermaid": ["topology", "--format", "mermaid"],
            "dot": ["topology", "--format", "dot"],
            "simulate": ["simulate", "--fail", "zone"],
        ]
        var reports: [String: String] = [:]
        for (format, arguments) in commands {
            let run = try runHAAudit(arguments + paths, in: folder.path)
            #expect(!run.stdout.isEmpty, "\(format): \(run.stderr)")
            reports[format] = run.stdout
        }
        return reports
    }

    /// A folder holding `files` (name: content); `body` gets the folder and removes nothing.
    static func withFolder<T>(_ files: [String: String], _ body: (URL) throws -> T) throws -> T {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        for (name, content) in files {
            let url = folder.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(content.utf8).write(to: url)
        }
        return try body(folder)
    }

    /// Escape sequences (colour, an OSC 8 link, a C1 CSI), controls, separators and an override
    /// in a name, a file name, a missing path and a source line: none reaches any report raw.
    @Test func controlCharactersAndEscapeSequencesAreShownNotObeyed() throws {
        let name = "a\u{1B}]8;;http://evil.example\u{07}link\u{1B}]8;;\u{07}\u{1B}[31mred\u{9B}2J\u{7F}\u{85}\u{2028}\u{2029}\u{202E}\t\u{0}z"
        let file = "f\u{1B}[2J\u{9D}0;title\u{07}\u{202E}.yaml"
        // A raw override and isolate in a comment reach the HTML's source lines (YAML reads a
        // raw U+2028 or NEL as a line break, and refuses raw controls).
        let source = Self.manifest(named: name).replacingOccurrences(of: "  replicas: 1\n", with: "  replicas: 1 # \u{202E}\u{2066}\n")
        try Self.withFolder([file: source]) { folder in
            let missing = "gone\u{1B}[8m\u{9B}.yaml"
            for (format, report) in try Self.reports(of: [".", missing], in: folder) {
                let active = report.unicodeScalars.filter(Self.isActive)
                #expect(active.isEmpty, "\(format) holds \(active.map { String($0.value, radix: 16) })")
                #expect(report.contains("u{1B}") && report.contains("evil.example"), "\(format) does not show the name")
            }
            let text = try runHAAudit(["scan", ".", missing], in: folder.path).stdout
            #expect(text.contains("f\\u{1B}[2J\\u{9D}0;title\\u{7}\\u{202E}.yaml:7:3 high single-replica"), "\(text)")
            #expect(text.contains("gone\\u{1B}[8m\\u{9B}.yaml:1:1 error cannot read gone\\u{1B}[8m\\u{9B}.yaml"), "\(text)")
        }
    }

    /// Escaping goes scalar by scalar: `|` or `"` followed by a combining mark is one Character
    /// but still a delimiter to the renderer, and CR LF is one Character too.
    @Test func delimitersFollowedByCombiningMarksAndCRLFAreEscaped() throws {
        let name = "p|\u{301}q\"\u{301}r\\\u{301}s\r\nt"
        let crlf = Self.manifest(named: name).replacingOccurrences(of: "\n", with: "\r\n")
        try Self.withFolder(["app.yaml": crlf]) { folder in
            let reports = try Self.reports(of: ["."], in: folder)
            for (format, report) in reports {
                #expect(!report.unicodeScalars.contains("\r"), "\(format) holds a CR")
            }
            let tableRows = reports["markdown"]!.split(separator: "\n").filter { $0.hasPrefix("| ") && !$0.hasPrefix("| severity") }
            #expect(!tableRows.isEmpty)
            for row in tableRows {
                #expect(Self.unescaped("|", in: row) == 6, "\(row)")
            }
            for line in reports["dot"]!.split(separator: "\n") {
                #expect(Self.unescaped("\"", in: line) % 2 == 0, "\(line)")
            }
            for line in reports["mermaid"]!.split(separator: "\n") {
                #expect([0, 2].contains(line.unicodeScalars.filter { $0 == "\"" }.count), "\(line)")
            }
            #expect(reports["text"]!.contains("p|\u{301}q\"\u{301}r\\\u{301}s\\r\\nt"))
            #expect(reports["html"]!.contains("<mark>    7    replicas: 1</mark>"), "a CR LF file's lines, without their CR")
        }
    }

    /// How many times `delimiter` occurs in `line` with no backslash escaping it (scalar by
    /// scalar, an escaped backslash escaping nothing).
    static func unescaped(_ delimiter: Unicode.Scalar, in line: Substring) -> Int {
        var count = 0, backslashes = 0
        for scalar in line.unicodeScalars {
            if scalar == delimiter && backslashes % 2 == 0 { count += 1 }
            backslashes = scalar == "\\" ? backslashes + 1 : 0
        }
        return count
    }

    /// Link, image and HTML syntax in names and paths stays text in Markdown, link targets stay
    /// inside their parentheses, and no name can close the Mermaid code fence.
    @Test func markdownLinksImagesAndFencesInNamesStayText() throws {
        let name = "[click](https://evil.example) ![img](https://evil.example/i.png) <b>x</b> &amp;\n```\n# heading"
        let file = "x(1)[y].yaml"
        try Self.withFolder([file: Self.manifest(named: name)]) { folder in
            let markdown = try runHAAudit(["scan", ".", "--format", "markdown", "--graph"], in: folder.path).stdout
            // What follows is the Mermaid code block, where a bracket is no link.
            let findings = markdown.components(separatedBy: "\n### Topology")[0]
            #expect(!findings.contains("[click](") && !findings.contains("[img]("), "\(findings)")
            #expect(!findings.contains("<b>"))
            #expect(findings.contains(#"\[click\](https://evil.example) !\[img\](https://evil.example/i.png) &lt;b&gt;x&lt;/b&gt; &amp;amp;\\n\`\`\`\\n# heading"#),
                    "\(findings)")
            #expect(findings.contains("[x(1)\\[y\\].yaml:7](x%281%29%5By%5D.yaml#L7)"), "\(findings)")
            let diagram = markdown.components(separatedBy: "\n### Topology")[1]
            let fences = diagram.split(separator: "\n").filter { $0.hasPrefix("```") || $0.hasPrefix("   `") }
            #expect(fences == ["```mermaid", "```"], "\(fences)")
        }
    }

    /// GitHub Actions reads every line of standard output that starts with `::` (or the older
    /// `##[`), after any spaces, as a workflow command; no input starts a line: not a file
    /// name, a name with a line break, a path given that does not exist.
    @Test func noInputStartsAWorkflowCommand() throws {
        let name = "x\n::add-mask::y\r::error::z\u{2028}::warning::w\n  ##[error]v"
        let files = ["::error::x.yaml": Self.manifest(named: name), "n\n::warning::y.yaml": Self.manifest(named: "ok"),
                     " ::notice::s.yaml": Self.manifest(named: "s"), "##[error]h.yaml": Self.manifest(named: "h"),
                     "::notice::dir/z.yaml": Self.manifest(named: "::debug::z")]
        try Self.withFolder(files) { folder in
            for paths in [["."], ["::error::x.yaml", " ::notice::s.yaml", "::notice::dir", "::stop-commands::gone.yaml"]] {
                for (format, report) in try Self.reports(of: paths, in: folder) {
                    for line in report.split(separator: "\n") {
                        let start = line.drop { $0 == " " || $0 == "\t" }
                        guard start.hasPrefix("::") || start.hasPrefix("##[") else { continue }
                        #expect(format == "github" && ["::error file=", "::warning file=", "::notice file="].contains { line.hasPrefix($0) },
                                "\(format): \(line)")
                    }
                }
            }
        }
    }

    static let schemeLikePaths = ["javascript:x.yaml": manifest(named: "a"), "c:/y.yaml": manifest(named: "b"),
                                  "ok/z:z.yaml": manifest(named: "c")]

    /// A relative path whose first segment holds a colon would read as a URI scheme
    /// (`javascript:`); SARIF writes it so that it cannot.
    @Test func sarifURIsCannotReadAsAScheme() throws {
        try Self.withFolder(Self.schemeLikePaths) { folder in
            let path = folder.appendingPathComponent("out.sarif").path
            let run = try runHAAudit(["scan", ".", "--format", "sarif", "--output", path], in: folder.path)
            #expect(run.status == 1, "\(run.stderr)")
            let sarif = try String(contentsOfFile: path, encoding: .utf8)
            let log = try #require(try JSONSerialization.jsonObject(with: Data(sarif.utf8)) as? [String: Any])
            let results = try #require(((log["runs"] as? [[String: Any]])?.first)?["results"] as? [[String: Any]])
            let artifacts = results.compactMap { result in
                (((result["locations"] as? [[String: Any]])?.first)?["physicalLocation"] as? [String: Any])?["artifactLocation"] as? [String: Any]
            }
            let uris = Set(artifacts.compactMap { $0["uri"] as? String })
            #expect(uris == ["./javascript:x.yaml", "./c:/y.yaml", "ok/z:z.yaml"], "\(uris)")
            #expect(artifacts.count == results.count && artifacts.allSatisfy { $0["uriBaseId"] as? String == "%SRCROOT%" })
        }
    }

    @Test(.enabled(if: sharedAvailable, needsShared))
    func sarifWithSchemeLikePathsValidates() throws {
        try Self.withFolder(Self.schemeLikePaths) { folder in
            let path = folder.appendingPathComponent("out.sarif").path
            _ = try runHAAudit(["scan", ".", "--format", "sarif", "--output", path], in: folder.path)
            let validation = try runProgram("/usr/bin/env", ["python3", "\(packageRoot)/scripts/validate-sarif", CodeReviewTests.schema, path])
            #expect(validation.status == 0, "\(validation.stdout)\(validation.stderr)")
        }
    }

    /// Topology (JSON, Mermaid, dot), HTML, Markdown with the graph and simulate are the same
    /// bytes run after run and with any `--jobs`: nothing comes out in a Set's or a
    /// Dictionary's order, which changes with each process.
    @Test func reportsAreTheSameBytesEveryRunAndWithAnyJobs() throws {
        let paths = ["fixtures/kubernetes/shop", "fixtures/cloudformation", "fixtures/simulation", "fixtures/servicefabric"]
        let commands = [
            ["topology", "--format", "json"], ["topology", "--format", "mermaid"], ["topology", "--format", "dot"],
            ["scan", "--format", "html"], ["scan", "--format", "markdown", "--graph"], ["simulate", "--fail", "zone"],
        ]
        for command in commands {
            var outputs: Set<String> = []
            for jobs in ["1", "3", "1", "3", "2", "1"] {
                let run = try runHAAudit(command + paths + ["--jobs", jobs])
                #expect(run.stdout.count > 1000, "\(command): \(run.stderr)")
                outputs.insert(run.stdout)
            }
            #expect(outputs.count == 1, "\(command.joined(separator: " ")) gave \(outputs.count) different reports")
        }
    }
}
