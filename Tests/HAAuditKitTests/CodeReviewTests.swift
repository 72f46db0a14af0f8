import Foundation
import Testing
@testable import HAAuditEngine
@testable import HAAuditFrontends
@testable import HAAuditModel
@testable import HAAuditParallel
@testable import HAAuditReaders
@testable import HAAuditReporters
@testable import HAAuditRules

/// SARIF, baselines, configuration files, several reports in one run.
@Suite("Code review and CI gate", .serialized)
struct CodeReviewTests {
    static let schema = "\(packageRoot)/../shared/schemas/sarif-schema-2.1.0.json"
    static let fixtureFolders = [
        "kubernetes/shop", "kubernetes/good", "kubernetes/parsing", "kubernetes/bad-input", "kubernetes/regressions",
        "kubernetes/platform", "cloudformation/shop", "cloudformation/regressions", "servicefabric/shop", "servicefabric/startup", "servicefabric/startup-only", "helm/store",
        "cloudservices/shop", "cloudservices/mismatch",
    ].map { "\(packageRoot)/fixtures/\($0)" }
    static let corpusFolders = ["k8s", "cfn", "xml"].map { "\(packageRoot)/../shared/corpus/\($0)" }

    /// The SARIF of every fixture and of the public corpus, with and without suppressed results,
    /// validates against the official schema and GitHub's rules (scripts/validate-sarif).
    @Test(.enabled(if: sharedAvailable, needsShared))
    func sarifOfEveryFixtureAndOfTheCorpusValidates() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        var files: [String] = []
        for (index, scanned) in (Self.fixtureFolders + Self.corpusFolders).enumerated() {
            for suppressed in [false, true] {
                let path = folder.appendingPathComponent("\(index)-\(suppressed).sarif").path
                let run = try runHAAudit(["scan", ".", "--format", "sarif", "--output", path, "--fail-on", "none"]
                                         + (suppressed ? ["--include-suppressed"] : []), in: scanned)
                #expect(run.status == 0 || run.status == 2, "\(scanned): \(run.stderr)")
                files.append(path)
            }
        }
        let validation = try runProgram("/usr/bin/env", ["python3", "\(packageRoot)/scripts/validate-sarif", Self.schema] + files)
        #expect(validation.status == 0, "\(validation.stdout)\(validation.stderr)")
    }

    @Test func sarifCarriesRulesFingerprintsAndParseProblems() throws {
        let run = try runHAAudit(["scan", ".", "--format", "sarif"], in: "\(packageRoot)/fixtures/kubernetes/bad-input")
        #expect(run.status == 2)
        let log = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let sarifRun = try #require((log["runs"] as? [[String: Any]])?.first)
        let invocation = try #require((sarifRun["invocations"] as? [[String: Any]])?.first)
        #expect(invocation["executionSuccessful"] as? Bool == false)
        #expect((invocation["toolExecutionNotifications"] as? [Any])?.count == 1)
        let results = try #require(sarifRun["results"] as? [[String: Any]])
        let first = try #require(results.first)
        #expect(first["ruleId"] as? String == "HA101")
        #expect((first["partialFingerprints"] as? [String: String])?["haaudit/v1"]?.count == 16)
        let driver = try #require((sarifRun["tool"] as? [String: Any])?["driver"] as? [String: Any])
        #expect((driver["rules"] as? [Any])?.count == RuleCatalog.all.count, "every rule that ran")
    }

    @Test func aFindingKeepsItsFingerprintWhenLinesMove() throws {
        let manifest = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  replicas: 1\n  selector: {matchLabels: {app: web}}\n"
        let audit = Audit(policy: try Policy.load("default"))
        let before = audit.run(sources: [("web.yaml", manifest)]).findings.first { $0.ruleName == "single-replica" }
        let after = audit.run(sources: [("web.yaml", "# a comment\n\n" + manifest)]).findings.first { $0.ruleName == "single-replica" }
        #expect(before?.fingerprint != nil)
        #expect(before?.fingerprint == after?.fingerprint)
        #expect(before?.location.line != after?.location.line)
    }

    /// The adoption flow: record today's findings, then only a regression fails the gate.
    @Test func aBaselineLetsOnlyNewFindingsFailTheGate() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let old = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: legacy}\nspec:\n  replicas: 1\n  selector: {matchLabels: {app: web}}\n"
        try old.write(to: folder.appendingPathComponent("legacy.yaml"), atomically: true, encoding: .utf8)
        let baseline = folder.appendingPathComponent("baseline.json").path
        let record = try runHAAudit(["scan", "legacy.yaml", "--write-baseline", baseline], in: folder.path)
        #expect(record.status == 1, "the legacy finding fails the gate without a baseline")
        #expect(try runHAAudit(["scan", ".", "--baseline", baseline, "--output", "-"], in: folder.path).status == 0)

        let regression = old.replacingOccurrences(of: "legacy", with: "fresh")
        try regression.write(to: folder.appendingPathComponent("fresh.yaml"), atomically: true, encoding: .utf8)
        let gated = try runHAAudit(["scan", "legacy.yaml", "fresh.yaml", "--baseline", baseline, "--format", "json"], in: folder.path)
        #expect(gated.status == 1)
        let report = try #require(try JSONSerialization.jsonObject(with: Data(gated.stdout.utf8)) as? [String: Any])
        let names = (report["findings"] as? [[String: Any]])?.compactMap { ($0["component"] as? [String: Any])?["name"] as? String }
        #expect(Set(names ?? []) == ["fresh"])
        #expect((report["summary"] as? [String: Any])?["baselined"] as? Int == 1)
    }

    @Test func severalReportsInOneRun() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let sarif = folder.appendingPathComponent("haaudit.sarif").path
        let markdown = folder.appendingPathComponent("summary.md").path
        let run = try runHAAudit(["scan", "fixtures/kubernetes/shop", "--format", "text", "--format", "sarif", "--format", "markdown",
                                  "--output", "-", "--output", sarif, "--output", markdown])
        #expect(run.status == 1)
        #expect(run.stdout.contains("high single-replica"))
        let log = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: sarif))) as? [String: Any]
        #expect(log?["version"] as? String == "2.1.0")
        let summary = try String(contentsOfFile: markdown, encoding: .utf8)
        #expect(summary.contains("| severity | rule | where | component | finding |"))
        #expect(summary.contains("(fixtures/kubernetes/shop/backend/api.json#L6)"))
        #expect(try runHAAudit(["scan", ".", "--format", "text", "--format", "json"]).status == 2, "two reports on standard output")
    }

    @Test func githubAnnotationsAreEscaped() {
        // Line breaks from the input are shown as escapes (InertReportTests), never decoded.
        #expect(Escaping.workflowData("50% of pods\nare down") == "50%25 of pods\\nare down")
        #expect(Escaping.workflowData("a\r\nb") == "a\\r\\nb", "CR LF is one Character")
        #expect(Escaping.workflowProperty("a,b:c") == "a%2Cb%3Ac")
    }

    @Test func theGitHubFormatAnnotatesEachFinding() throws {
        let run = try runHAAudit(["scan", ".", "--format", "github", "--fail-on", "none"], in: "\(packageRoot)/fixtures/kubernetes/shop")
        #expect(run.stdout.contains("::error file=backend/api.json,line=6,col=5,title=single-replica (high)::Deployment shop/api runs 1 replica"))
        #expect(run.stdout.contains("::warning file=backend/cache.yaml"))
    }

    @Test func theConfigurationFileIsFoundAndApplied() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let manifests = folder.appendingPathComponent("deploy/dev")
        try FileManager.default.createDirectory(at: manifests, withIntermediateDirectories: true)
        let deployment = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: NAME}\nspec:\n  replicas: 1\n  selector: {matchLabels: {app: web}}\n"
        for name in ["scratch", "api", "old"] {
            try deployment.replacingOccurrences(of: "NAME", with: name)
                .write(to: manifests.appendingPathComponent("\(name).yaml"), atomically: true, encoding: .utf8)
        }
        try "garbage: [".write(to: folder.appendingPathComponent("deploy/vendored.yaml"), atomically: true, encoding: .utf8)
        try """
            policy: minimal
            rules:
              single-replica: {severity: critical}
            exclude: ["deploy/vendored.yaml"]
            ignore:
              - {rule: single-replica, path: "deploy/dev/**", component: "scratch", reason: "throwaway", expires: "2999-01-01"}
              - {rule: all, path: "**/old.yaml", reason: "retired next sprint", expires: "2001-01-01"}
            """.write(to: folder.appendingPathComponent(".haaudit.yaml"), atomically: true, encoding: .utf8)
        let run = try runHAAudit(["scan", "deploy", "--format", "json"], in: manifests.deletingLastPathComponent().deletingLastPathComponent().path)
        #expect(run.status == 1, "\(run.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let findings = try #require(report["findings"] as? [[String: Any]])
        func finding(_ name: String) -> [String: Any]? {
            findings.first { ($0["component"] as? [String: Any])?["name"] as? String == name }
        }
        #expect(finding("api")?["severity"] as? String == "critical", "rules overrides apply")
        #expect(finding("scratch")?["suppressed"] as? Bool == true, "a live ignore suppresses")
        #expect((finding("scratch")?["suppression"] as? [String: Any])?["reason"] as? String == "throwaway")
        #expect(finding("old")?["suppressed"] as? Bool == false, "an expired ignore no longer applies")
        let diagnostics = try #require(report["diagnostics"] as? [[String: Any]])
        #expect(diagnostics.contains { ($0["message"] as? String)?.contains("expired on 2001-01-01") == true })
        #expect(!findings.contains { $0["rule"] as? String == "missing-readiness-probe" }, "policy minimal")
    }

    @Test func aMistakeInTheConfigurationIsAnErrorWithItsLine() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try "policy: default\nfailOn: high\nexlude: [x]\n".write(to: folder.appendingPathComponent(".haaudit.yaml"), atomically: true, encoding: .utf8)
        let run = try runHAAudit(["scan", "."], in: folder.path)
        #expect(run.status == 2)
        #expect(run.stderr.contains(".haaudit.yaml:3:1: unknown configuration key 'exlude'"))
    }

    /// Parallel reading, lowering and checking change nothing in the report.
    @Test func theReportIsTheSameWhateverTheNumberOfJobs() throws {
        try expectTheSameReportWhateverTheJobs(Self.fixtureFolders)
    }

    @Test(.enabled(if: sharedAvailable, needsShared))
    func theCorpusReportIsTheSameWhateverTheNumberOfJobs() throws {
        try expectTheSameReportWhateverTheJobs(Self.corpusFolders)
    }

    private func expectTheSameReportWhateverTheJobs(_ folders: [String]) throws {
        for folder in folders {
            let reports = try [1, 2, 5].map { jobs in
                try runHAAudit(["scan", ".", "--format", "json", "--jobs", "\(jobs)"], in: folder).stdout
            }
            #expect(reports[0] == reports[1] && reports[1] == reports[2], "\(folder)")
            #expect(!reports[0].isEmpty)
        }
    }
}
