import Foundation
import Testing
@testable import HAAuditEngine
@testable import HAAuditModel
@testable import HAAuditReaders

/// What is a manifest, told from raw bytes (DESIGN section 11).
@Suite("Manifest sniffing")
struct ManifestSniffingTests {
    func looks(_ text: String) -> Bool { ManifestSniffing.looksLikeManifest(Array(text.utf8)) }

    @Test func manifestsLookLikeManifests() {
        #expect(looks("apiVersion: v1\nkind: Pod\nmetadata: {name: [\n"))
        #expect(looks("# comment\nkind: Deployment\n"))
        #expect(looks("{\"kind\": \"Pod\", \"apiVersion\": \"v1\",}"))
        #expect(looks("AWSTemplateFormatVersion: '2010-09-09'\n"))
        #expect(looks("Resources:\n  Q: {Type: AWS::SQS::Queue\n"))
        #expect(looks("<ApplicationManifest xmlns=\"http://schemas.microsoft.com/2011/01/fabric\">"))
        #expect(looks("<ServiceDefinition xmlns=\"http://schemas.microsoft.com/ServiceHosting/2008/10/ServiceDefinition\">"))
    }

    @Test func otherFilesDoNot() {
        #expect(!looks("server {\n    listen ${NGINX_PORT};\n}\n"))
        #expect(!looks("{\"id\": 1}\n{\"id\": 2}\n"))
        #expect(!looks("{\n  // comment\n  \"compilerOptions\": {\"strict\": true,},\n}\n"))
        #expect(!looks("spec:\n  apiVersion: indented, not at a line start\n"))
        #expect(!looks("key: [unclosed\n"))
        #expect(!ManifestSniffing.looksLikeManifest(Array("apiVersion: v1\nkind: Config\nzones: [${ZONES}]\n".utf8), path: "cluster.yml.template"),
                "a *.template file is CloudFormation only by content")
        #expect(ManifestSniffing.looksLikeManifest(Array("AWSTemplateFormatVersion: x\n".utf8), path: "stack.template"))
    }

    @Test func blankFilesOfEveryFormat() {
        func blank(_ text: String, _ syntax: DocumentSyntax) -> Bool { ManifestSniffing.isBlank(Array(text.utf8), syntax: syntax) }
        #expect(blank("", .yaml) && blank("", .json) && blank("", .xml))
        #expect(blank("\u{FEFF} \n\t\r\n", .yaml))
        #expect(blank("# only a comment\n---\n...\n", .yaml))
        #expect(blank("// nothing\n/* at\n all */\n", .json))
        #expect(blank("<?xml version=\"1.0\"?>\n<!-- settings -->\n", .xml))
        #expect(!blank("a: 1\n", .yaml))
        #expect(!blank("{}", .json))
        #expect(!blank("<Settings/>", .xml))
        #expect(!blank("/* unterminated", .json))
    }

    @Test func jsonWithCommentsAndTrailingCommasBecomesStrictJSONOfTheSameShape() throws {
        let text = "{\n  // why\n  \"a\": [1, 2,], /* inline */\n  \"b\": \"// not a comment,\",\n}\n"
        let stripped = ManifestSniffing.strippingJSONComments(Array(text.utf8))
        #expect(stripped.count == text.utf8.count)
        let root = try #require(try JSONReader(limits: ReaderLimits()).read(stripped).first)
        #expect(root["a"]?.items.count == 2)
        #expect(root["b"]?.string == "// not a comment,")
        #expect(root["b"]?.position.line == 4, "lines are kept")
    }

    @Test func utf16WithAByteOrderMarkIsDecoded() {
        let text = "apiVersion: v1\nkind: Pod # é\n"
        let littleEndian: [UInt8] = [0xFF, 0xFE] + text.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        let bigEndian: [UInt8] = [0xFE, 0xFF] + text.utf16.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
        #expect(ManifestSniffing.decodingUTF16(littleEndian) == Array(text.utf8))
        #expect(ManifestSniffing.decodingUTF16(bigEndian) == Array(text.utf8))
        #expect(ManifestSniffing.decodingUTF16(Array(text.utf8)) == Array(text.utf8))
    }

    @Test func aFileFoundInAFolderIsAnErrorOnlyWhenItLooksLikeAManifest() {
        func read(_ path: String, _ text: String, named: Bool) -> LoadedPart {
            var part = LoadedPart()
            part.add(path: path, bytes: Array(text.utf8), limits: ReaderLimits(), isNamed: named)
            return part
        }
        #expect(read("tsconfig.json", "{\"a\": 1, // c\n}", named: false).skipped[.notManifests] == 1)
        #expect(read("seed.json", "{\"a\": 1}\n{\"a\": 2}\n", named: false).skipped[.unparseable] == 1)
        #expect(read("seed.json", "{\"a\": 1}\n{\"a\": 2}\n", named: true).diagnostics.count == 1)
        #expect(read("broken.yaml", "apiVersion: v1\nkind: Pod\nmetadata: {name: [\n", named: false).diagnostics.count == 1)
        #expect(read("compose.yml", "services: {web: {image: x}}\n", named: false).skipped[.notManifests] == 1)
        #expect(read("Settings.xml", "", named: true).skipped[.empty] == 1)
        let pod = read("pod.yaml", "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n", named: false)
        #expect(pod.fileCount == 1 && pod.skipped.total == 0)
    }
}

/// `haaudit scan .` at the root of a repository as it is: units, default excludes, the summary.
@Suite("Scanning a repository", .serialized)
struct RepositoryScanTests {
    static let deployment = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: NAME}\nspec:\n  replicas: 1\n  selector: {matchLabels: {app: web}}\n"

    /// A folder of `files` (path: text), scanned with `arguments` (paths, by default `.`); the JSON report.
    func scan(_ files: [String: String], _ arguments: [String] = ["."], prepare: (URL) throws -> Void = { _ in })
        throws -> (run: HAAuditRun, report: [String: Any]) {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        for (path, text) in files {
            let url = folder.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        try prepare(folder)
        let run = try runHAAudit(["scan", "--format", "json"] + arguments, in: folder.path)
        let report = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any], "\(run.stderr)")
        return (run, report)
    }

    func components(_ report: [String: Any]) -> Set<String> {
        Set((report["findings"] as? [[String: Any]] ?? []).compactMap { ($0["component"] as? [String: Any])?["name"] as? String })
    }

    func skipped(_ report: [String: Any]) -> [String: Int] {
        (report["summary"] as? [String: Any])?["skipped"] as? [String: Int] ?? [:]
    }

    func diagnostics(_ report: [String: Any]) -> [(level: String, message: String, path: String)] {
        (report["diagnostics"] as? [[String: Any]] ?? []).map {
            ($0["level"] as? String ?? "", $0["message"] as? String ?? "", ($0["location"] as? [String: Any])?["path"] as? String ?? "")
        }
    }

    static let noise: [String: String] = [
        "deploy/api.yaml": deployment.replacingOccurrences(of: "NAME", with: "api"),
        "node_modules/pkg/broken.yaml": "key: [unclosed\n",
        "vendor/lib/deploy.yaml": deployment.replacingOccurrences(of: "NAME", with: "vendored"),
        "testdata/fixture.yaml": deployment.replacingOccurrences(of: "NAME", with: "fixture"),
        ".github/workflows/ci.yml": "on: [push]\n",
        "web/tsconfig.json": "{\n  // comment\n  \"strict\": true,\n}\n",
        "data/seed.json": "{\"id\": 1}\n{\"id\": 2}\n",
        "config/Settings.xml": "",
        "ops/nginx.conf.template": "server {\n  listen ${PORT};\n}\n",
        "chart/Chart.yaml": "apiVersion: v2\nname: shop\nversion: 1.0.0\n",
        "chart/templates/deployment.yaml": "{{- if .Values.enabled }}\napiVersion: apps/v1\nkind: Deployment\n{{- end }}\n",
        "chart/values.yaml": "replicas: 1\n",
    ]

    @Test func aNoisyRepositoryExitsByItsFindingsNotTwo() throws {
        let (run, report) = try scan(Self.noise)
        #expect(run.status == 1, "\(diagnostics(report))")
        #expect(components(report) == ["api"])
        #expect(!diagnostics(report).contains { $0.level == "error" })
        // The chart is rendered; with its values it renders nothing.
        #expect(!diagnostics(report).contains { $0.level == "warning" })
        #expect(skipped(report) == ["defaultExcludes": 4, "notManifests": 2, "unparseable": 1, "empty": 1])
    }

    @Test func theTextSummarySaysWhatWasSkipped() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        for (path, text) in Self.noise {
            let url = folder.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        let run = try runHAAudit(["scan", "."], in: folder.path)
        #expect(run.stdout.contains("1 file, 1 component, 1 finding (0 critical, 1 high, 0 medium, 0 low, 0 info); skipped: "
                                    + "4 by default excludes, 2 files not manifests, 1 unparseable file, 1 empty file\n"),
                "\(run.stdout)")
    }

    @Test func aFolderNamedInsideAChartIsTheChart() throws {
        var files = Self.noise
        files["chart/templates/deployment.yaml"] = Self.deployment.replacingOccurrences(of: "NAME", with: "{{ .Release.Name }}-shop")
        let (run, report) = try scan(files, ["chart/templates"])
        // Its one replica fails the gate.
        #expect(run.status == 1)
        #expect(diagnostics(report).isEmpty)
        // Rendered: the chart's Deployment, and nothing outside the chart.
        #expect((report["summary"] as? [String: Any])?["components"] as? Int == 1)
    }

    @Test func noDefaultExcludesReadsEverything() throws {
        let files = Self.noise.filter { !$0.key.hasPrefix("node_modules") }
        let (run, report) = try scan(files, [".", "--no-default-excludes"])
        #expect(run.status == 1)
        #expect(components(report) == ["api", "vendored", "fixture"])
    }

    @Test func aNamedRootOrFileIsAlwaysRead() throws {
        let files = ["vendor/deploy.yaml": Self.deployment.replacingOccurrences(of: "NAME", with: "vendored"),
                     "notes/seed.json": "{\"id\": 1}\n{\"id\": 2}\n"]
        let (run, report) = try scan(files, ["vendor", "notes/seed.json"])
        #expect(run.status == 2, "a named file that does not parse is an error")
        #expect(components(report) == ["vendored"])
    }

    @Test func aBareFolderNameInExcludeMatchesAnywhere() throws {
        let files = ["a/templates/x.yaml": Self.deployment.replacingOccurrences(of: "NAME", with: "x"),
                     "b/c/templates/y.yaml": Self.deployment.replacingOccurrences(of: "NAME", with: "y"),
                     "templates.yaml": Self.deployment.replacingOccurrences(of: "NAME", with: "kept"),
                     ".haaudit.yaml": "exclude: [templates]\n"]
        let (_, report) = try scan(files)
        #expect(components(report) == ["kept"])
        #expect(skipped(report)["excluded"] == 2)
    }

    @Test func filesGitIgnoresAreSkippedInAWorkTree() throws {
        guard (try? runProgram("/usr/bin/env", ["git", "--version"]))?.status == 0 else { return }
        let files = ["kept.yaml": Self.deployment.replacingOccurrences(of: "NAME", with: "kept"),
                     "build/out.yaml": Self.deployment.replacingOccurrences(of: "NAME", with: "built"),
                     "local.yaml": Self.deployment.replacingOccurrences(of: "NAME", with: "local"),
                     ".gitignore": "build/\nlocal.yaml\n"]
        let (_, report) = try scan(files) { folder in
            let initialized = try runProgram("/usr/bin/env", ["git", "-C", folder.path, "init", "-q"])
            #expect(initialized.status == 0)
        }
        #expect(components(report) == ["kept"])
        #expect(skipped(report)["gitIgnored"] == 2)
        let (_, all) = try scan(files, [".", "--no-default-excludes"]) { folder in
            let initialized = try runProgram("/usr/bin/env", ["git", "-C", folder.path, "init", "-q"])
            #expect(initialized.status == 0)
        }
        #expect(components(all) == ["kept", "built", "local"])
    }

    @Test func nothingAuditedWarnsAndFailIfEmptyIsExitTwo() throws {
        let files = ["package.json": "{\"name\": \"x\"}\n"]
        let (plain, report) = try scan(files)
        #expect(plain.status == 0)
        #expect(diagnostics(report).map(\.level) == ["warning"])
        #expect(diagnostics(report).first?.message.contains("no component was audited") == true)
        #expect(try scan(files, [".", "--fail-if-empty"]).run.status == 2)
        #expect(try scan(files.merging([".haaudit.yaml": "failIfEmpty: true\n"]) { $1 }).run.status == 2)
        #expect(try scan([:], [".", "--fail-if-empty"]).run.status == 2, "an empty folder")
    }
}
