import Foundation
import Testing

/// Runs the built `haaudit` binary the way users and CI do, and checks exit codes and output.
@Suite("Command line", .serialized)
struct CommandLineTests {
    func haaudit(_ arguments: [String], in directory: String = packageRoot, stdin: String? = nil,
                 environment: [String: String] = ["NO_COLOR": "1"]) throws -> HAAuditRun {
        try runHAAudit(arguments, in: directory, stdin: stdin, environment: environment)
    }

    func fixture(_ name: String) -> String { "\(packageRoot)/fixtures/\(name)" }

    @Test func theBinaryWasBuilt() {
        #expect(FileManager.default.isExecutableFile(atPath: haauditBinary), "build the package first: \(haauditBinary)")
    }

    /// Golden tests: the text report of each fixture folder, scanned from inside it, equals its
    /// `expected.txt` (set HAAUDIT_UPDATE_GOLDEN=1 to rewrite them after an intended change).
    @Test(arguments: ["kubernetes/shop", "kubernetes/good", "kubernetes/parsing", "kubernetes/bad-input", "kubernetes/regressions", "kubernetes/platform", "cloudformation/shop", "cloudformation/regressions",
                        "servicefabric/shop", "servicefabric/startup", "servicefabric/startup-only", "helm/store", "helm/positions", "cloudservices/shop", "cloudservices/mismatch"])
    func golden(_ name: String) throws {
        let run = try haaudit(["scan", ".", "--fail-on", "none"], in: fixture(name))
        let expectedPath = "\(fixture(name))/expected.txt"
        if ProcessInfo.processInfo.environment["HAAUDIT_UPDATE_GOLDEN"] != nil {
            try run.stdout.write(toFile: expectedPath, atomically: true, encoding: .utf8)
        }
        let expected = try String(contentsOfFile: expectedPath, encoding: .utf8)
        #expect(run.stdout == expected)
    }

    /// Golden simulations: `simulate --fail SCENARIO`, run inside the fixture folder, equals
    /// `simulate-SCENARIO.txt` beside the manifests.
    @Test(arguments: [
        ("simulation/kubernetes", "zone"), ("simulation/kubernetes", "zone --zones 3"), ("simulation/kubernetes", "node"),
        ("simulation/kubernetes", "instance"), ("simulation/kubernetes", "db"),
        ("simulation/cloudformation", "zone"), ("simulation/cloudformation", "node"), ("simulation/cloudformation", "instance"),
        ("simulation/cloudformation", "Orders"),
        ("servicefabric/shop", "zone"), ("servicefabric/shop", "zone --zones 3"), ("servicefabric/shop", "node"), ("servicefabric/shop", "instance"),
    ])
    func simulation(_ name: String, _ scenario: String) throws {
        let arguments = scenario.split(separator: " ").map(String.init)
        let run = try haaudit(["simulate", ".", "--fail"] + arguments, in: fixture(name))
        #expect(run.status == 0)
        let expectedPath = "\(fixture(name))/simulate-\(arguments.map { $0.trimmingCharacters(in: ["-"]) }.joined(separator: "-")).txt"
        if ProcessInfo.processInfo.environment["HAAUDIT_UPDATE_GOLDEN"] != nil {
            try run.stdout.write(toFile: expectedPath, atomically: true, encoding: .utf8)
        }
        let expected = try String(contentsOfFile: expectedPath, encoding: .utf8)
        #expect(run.stdout == expected)
    }

    /// Golden graphs: `topology --format mermaid|dot` inside the fixture folder equals
    /// `topology.mmd` / `topology.dot` beside the manifests.
    @Test(arguments: ["simulation/kubernetes", "simulation/cloudformation", "servicefabric/shop"], ["mermaid", "dot"])
    func graph(_ name: String, _ format: String) throws {
        let run = try haaudit(["topology", ".", "--format", format], in: fixture(name))
        #expect(run.status == 0)
        let expectedPath = "\(fixture(name))/topology.\(format == "mermaid" ? "mmd" : "dot")"
        if ProcessInfo.processInfo.environment["HAAUDIT_UPDATE_GOLDEN"] != nil {
            try run.stdout.write(toFile: expectedPath, atomically: true, encoding: .utf8)
        }
        #expect(run.stdout == (try String(contentsOfFile: expectedPath, encoding: .utf8)))
    }

    /// The application folder alone, without the services' manifests beside it: its services are
    /// audited, and a container package whose policies give no liveness signal is a warning, while
    /// one with Docker health integration (SearchPkg) or a liveness probe (BasketPkg) is not.
    @Test func aServiceFabricApplicationWithoutItsServiceManifestsWarnsOfUnjudgedContainers() throws {
        for named in ["Market", "Market/StartupServices.xml"] {
            let run = try haaudit(["scan", named, "--fail-on", "none"], in: fixture("servicefabric/startup"))
            #expect(run.stdout.contains("warning container code package Code of CheckoutPkg has no liveness probe"), "\(named)")
            #expect(!run.stdout.contains("SearchPkg") && !run.stdout.contains("BasketPkg"), "\(named)")
            #expect(run.stdout.contains("single-replica StatelessService Catalog"), "\(named)")
        }
    }

    @Test func theMarkdownReportEmbedsTheGraphWhenAsked() throws {
        let plain = try haaudit(["scan", fixture("kubernetes/shop"), "--format", "markdown", "--fail-on", "none"])
        #expect(!plain.stdout.contains("```mermaid"))
        let drawn = try haaudit(["scan", fixture("kubernetes/shop"), "--format", "markdown", "--graph", "--fail-on", "none"])
        #expect(drawn.stdout.contains("### Topology"))
        #expect(drawn.stdout.contains("```mermaid\nflowchart LR\n"))
        #expect(drawn.stdout.contains("subgraph zone0[\"zone us-east-1a\"]"))
        #expect(drawn.stdout.contains("class n0,n1 critical"))
    }

    /// One file that a browser shows offline: no script, nothing fetched, the manifest's own
    /// text escaped. (`scripts/screenshot-html` renders it in headless Chromium.)
    @Test func theHTMLReportIsSelfContained() throws {
        let folder = try temporaryFolder()
        try """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: "web</script><img src=x>"}
            spec:
              replicas: 1
              selector: {matchLabels: {app: web}}
              template:
                metadata: {labels: {app: web}}
                spec: {containers: [{name: web, image: web}]}
            """.write(to: folder.appendingPathComponent("web.yaml"), atomically: true, encoding: .utf8)
        let run = try haaudit(["scan", ".", "--format", "html", "--fail-on", "none"], in: folder.path)
        #expect(run.status == 0)
        let page = run.stdout
        #expect(page.hasPrefix("<!doctype html>"))
        #expect(page.contains("Content-Security-Policy\" content=\"default-src 'none'"))
        #expect(!page.contains("<script"))
        #expect(!page.contains("<img"))
        #expect(page.contains("web&lt;/script&gt;&lt;img src=x&gt;"))
        #expect(page.contains("<svg xmlns=\"http://www.w3.org/2000/svg\""))
        #expect(page.contains("<h2>Losing a zone</h2>"))
        #expect(page.contains("<mark>    5    replicas: 1</mark>"), "the finding's line, numbered and marked")
        for fetching in ["<link", "<iframe", "<object", "href=\"http", "url(http"] { #expect(!page.contains(fetching)) }
    }

    @Test func simulateIsAGateWithFailOnDownAndRefusesUnknownComponents() throws {
        let folder = fixture("simulation/kubernetes")
        #expect(try haaudit(["simulate", folder, "--fail", "node"]).status == 0)
        #expect(try haaudit(["simulate", folder, "--fail", "node", "--fail-on-down"]).status == 1)
        let unknown = try haaudit(["simulate", folder, "--fail", "no-such-thing"])
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("no component is named no-such-thing"))
        #expect(try haaudit(["simulate", folder]).status == 2, "--fail is required")
    }

    @Test func simulateWritesTheDesignedJSON() throws {
        let run = try haaudit(["simulate", fixture("simulation/kubernetes"), "--fail", "zone", "--zones", "3", "--format", "json"])
        let report = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        #expect(report["schemaVersion"] as? Int == 1)
        #expect(report["scenario"] as? String == "zone")
        let components = try #require(report["components"] as? [[String: Any]])
        let keys: Set<String> = ["id", "name", "kind", "status", "instancesBefore", "instancesAfter", "reasons", "chain", "location"]
        #expect(components.allSatisfy { Set($0.keys) == keys })
        #expect(components.allSatisfy { ["up", "degraded", "down", "unknown"].contains($0["status"] as? String ?? "") })
        let ingress = try #require(components.first { $0["kind"] as? String == "Ingress" })
        #expect(ingress["status"] as? String == "degraded")
        #expect((ingress["chain"] as? [String])?.count == 2)
    }

    @Test func exitsZeroWhenTheGatePasses() throws {
        let run = try haaudit(["scan", fixture("kubernetes/good")])
        #expect(run.status == 0)
        #expect(run.stdout.contains("grade A"))
    }

    @Test func exitsOneWhenAFindingReachesFailOn() throws {
        #expect(try haaudit(["scan", fixture("kubernetes/shop")]).status == 1)
        #expect(try haaudit(["scan", fixture("kubernetes/shop"), "--fail-on", "none"]).status == 0)
        #expect(try haaudit(["scan", fixture("kubernetes/parsing"), "--fail-on", "critical"]).status == 0)
    }

    @Test func exitsOneWhenTheScoreIsBelowMinScore() throws {
        #expect(try haaudit(["scan", fixture("kubernetes/shop"), "--fail-on", "none", "--min-score", "90"]).status == 1)
        #expect(try haaudit(["scan", fixture("kubernetes/shop"), "--fail-on", "none", "--min-score", "10"]).status == 0)
    }

    @Test func exitsTwoOnUnparseableInputAndStillAuditsTheRest() throws {
        let run = try haaudit(["scan", ".", "--format", "json"], in: fixture("kubernetes/bad-input"))
        #expect(run.status == 2)
        let report = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let diagnostics = try #require(report["diagnostics"] as? [[String: Any]])
        let location = try #require(diagnostics.first?["location"] as? [String: Any])
        #expect(location["path"] as? String == "broken.yaml")
        #expect(location["line"] as? Int == 6)
        let findings = try #require(report["findings"] as? [[String: Any]])
        #expect(findings.compactMap { ($0["component"] as? [String: Any])?["name"] as? String } == ["survivor"])
    }

    @Test func exitsTwoOnBadArgumentsMissingPathsAndInvalidPolicies() throws {
        #expect(try haaudit(["scan", "--format", "yaml"]).status == 2)
        #expect(try haaudit(["scan", "--fail-on", "severe"]).status == 2)
        let missing = try haaudit(["scan", fixture("no-such-folder")])
        #expect(missing.status == 2)
        #expect(missing.stdout.contains("no-such-folder"))
        let policy = try haaudit(["scan", fixture("kubernetes/good"), "--policy", "no-such-policy"])
        #expect(policy.status == 2)
        #expect(policy.stderr.contains("invalid policy"))
    }

    @Test func theJSONReportHasTheDesignedShape() throws {
        let run = try haaudit(["scan", ".", "--format", "json"], in: fixture("kubernetes/shop"))
        let report = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        #expect(report["schemaVersion"] as? Int == 1)
        #expect(Set(report.keys) == ["schemaVersion", "tool", "score", "summary", "findings", "diagnostics"])
        let summary = try #require(report["summary"] as? [String: Any])
        #expect(summary["files"] as? Int == 4, "package.json and values.yaml hold no manifest")
        #expect(summary["skipped"] as? [String: Int] == ["notManifests": 2])
        let findings = try #require(report["findings"] as? [[String: Any]])
        let first = try #require(findings.first)
        #expect(Set(first.keys) == ["ruleId", "rule", "category", "severity", "message", "remediation", "component",
                                    "location", "relatedLocations", "profile", "suppressed", "suppression"])
        let component = try #require(first["component"] as? [String: Any])
        #expect(component["id"] as? String == "k8s:shop/Deployment/api")
        #expect((first["location"] as? [String: Any])?["path"] as? String == "backend/api.json")
    }

    @Test func readsStandardInput() throws {
        let manifest = "apiVersion: v1\nkind: Pod\nmetadata: {name: lonely}\nspec:\n  containers: [{name: c, image: x}]\n"
        let run = try haaudit(["scan", "-"], stdin: manifest)
        #expect(run.status == 1)
        #expect(run.stdout.contains("<stdin>:1:1 high unmanaged-instance"))
    }

    @Test func writesTheReportToOutputAndNothingToStandardOutput() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("haaudit-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("report.json").path
        let run = try haaudit(["scan", fixture("kubernetes/good"), "--format", "json", "--output", path])
        #expect(run.status == 0)
        #expect(run.stdout.isEmpty)
        let report = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any]
        #expect(report?["schemaVersion"] as? Int == 1)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["report.json"])
    }

    /// `--output /dev/null` or a named pipe is written in place: the atomic rename meant for
    /// files would replace the device or the pipe with a file.
    @Test func writesToANamedPipeInPlace() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("haaudit-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let pipe = directory.appendingPathComponent("report.pipe").path
        #expect(mkfifo(pipe, 0o600) == 0)
        // Opened for reading before haaudit runs, without waiting for a writer; the report is
        // smaller than the pipe's buffer, so haaudit never waits for this reader either.
        let reader = open(pipe, O_RDONLY | O_NONBLOCK)
        #expect(reader >= 0)
        defer { close(reader) }
        let run = try haaudit(["scan", fixture("kubernetes/good"), "--output", pipe])
        #expect(run.status == 0)
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = read(reader, &buffer, buffer.count)
        #expect(String(decoding: buffer.prefix(max(count, 0)), as: UTF8.self).hasPrefix("Score 100/100"))
        var info = stat()
        #expect(stat(pipe, &info) == 0 && info.st_mode & S_IFMT == S_IFIFO, "still a pipe, not a file")
    }

    @Test func coloursOnlyWhenAskedByTheTerminal() throws {
        let run = try haaudit(["scan", fixture("kubernetes/shop")], environment: [:])
        #expect(!run.stdout.contains("\u{1B}["), "stdout is a pipe here, not a terminal")
    }

    @Test func listsAndExplainsRules() throws {
        let rules = try haaudit(["rules"])
        #expect(rules.status == 0)
        #expect(rules.stdout.contains("HA101  single-replica"))
        let json = try haaudit(["rules", "--format", "json"])
        let catalog = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
        #expect(catalog.contains { $0["name"] as? String == "undefined-named-port" && $0["severity"] as? String == "critical" })
        let explain = try haaudit(["explain", "single-replica"])
        #expect(explain.stdout.contains("## Why it matters"))
        #expect(explain.stdout.contains("### Triggers: One replica"))
        #expect(try haaudit(["explain", "HA101"]).status == 0)
        #expect(try haaudit(["explain", "no-such-rule"]).status == 2)
    }

    @Test func printsTheTopologyModel() throws {
        let run = try haaudit(["topology", "."], in: fixture("kubernetes/shop"))
        #expect(run.status == 0)
        let model = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let relationships = try #require(model["relationships"] as? [[String: Any]])
        #expect(relationships.contains {
            $0["kind"] as? String == "scales" && $0["to"] as? String == "k8s:shop/Deployment/web"
        })
    }

    @Test func printsItsVersion() throws {
        #expect(try haaudit(["version"]).stdout == "0.1.0\n")
    }
}
