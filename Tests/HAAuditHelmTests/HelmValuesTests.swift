import CZlib
import Foundation
import HAAuditModel
import Testing
@testable import HAAuditHelm

@Suite("Helm values, charts and archives")
struct HelmValuesTests {
    static let testCharts = TypedJSON.conformanceRoot.appendingPathComponent("helm/template/testdata/testcharts").path

    @Test func valuesFilesReadAsHelmDoes() throws {
        let text = """
            replicaCount: 3
            image:
              tag: "1.0"
              pullPolicy: IfNotPresent
            enabled: yes
            ratio: 0.5
            octal: 010
            hex: 0x1F
            nothing: ~
            when: 2001-12-14
            hosts:
              - a.example
              - b.example
            """
        let read = try ValuesReader.read(Array(text.utf8), path: "values.yaml")
        #expect(read.values["replicaCount"] == .float(3))
        #expect(read.values["image"] == .map(["tag": .string("1.0"), "pullPolicy": .string("IfNotPresent")]))
        #expect(read.values["enabled"] == .bool(true))
        #expect(read.values["octal"] == .float(8))
        #expect(read.values["hex"] == .float(31))
        #expect(read.values["nothing"] == .null)
        #expect(read.values["when"] == .string("2001-12-14"))
        #expect(read.origins[[.key("replicaCount")]] == SourceLocation(path: "values.yaml", line: 1, column: 15))
        #expect(read.origins[[.key("image"), .key("tag")]] == SourceLocation(path: "values.yaml", line: 3, column: 8))
        #expect(read.origins[[.key("hosts"), .index(1)]] == SourceLocation(path: "values.yaml", line: 13, column: 5))
        #expect(try ValuesReader.read([], path: "empty.yaml").values.isEmpty)
        #expect(throws: ValuesError.self) { try ValuesReader.read(Array("- a\n".utf8), path: "list.yaml") }
    }

    @Test func setEntriesParseAsStrvals() throws {
        var values = PositionedValues()
        let origin = SourceLocation(path: "--set", line: 1, column: 1)
        try SetValuesParser.parse("a.b=c,n=12,z=0,lead=012,t=TRUE,x=null,list={x,2},i[1]=v,e=a\\,b,k\\.dot=1", into: &values, origin: origin)
        #expect(values.values["a"] == .map(["b": .string("c")]))
        #expect(values.values["n"] == .int(12, .int64))
        #expect(values.values["z"] == .int(0, .int64))
        #expect(values.values["lead"] == .string("012"))
        #expect(values.values["t"] == .bool(true))
        #expect(values.values["x"] == .null)
        #expect(values.values["list"] == .list([.string("x"), .int(2, .int64)]))
        #expect(values.values["i"] == .list([.null, .string("v")]))
        #expect(values.values["e"] == .string("a,b"))
        #expect(values.values["k.dot"] == .int(1, .int64))
        #expect(values.origins[[.key("a"), .key("b")]] == origin)
        #expect(values.origins[[.key("list"), .index(1)]] == origin)
        let second = SourceLocation(path: "--set", line: 2, column: 1)
        try SetValuesParser.parse("a.c=d", into: &values, origin: second)
        #expect(values.values["a"] == .map(["b": .string("c"), "c": .string("d")]))
        #expect(values.origins[[.key("a"), .key("c")]] == second)
        #expect(throws: ValuesError.self) { try SetValuesParser.parse("a.b", into: &values, origin: origin) }
        #expect(throws: ValuesError.self) { try SetValuesParser.parse("a[99999999]=1", into: &values, origin: origin) }
        #expect(throws: ValuesError.self) { try SetValuesParser.parse("a={x", into: &values, origin: origin) }
    }

    @Test func releaseValuesKeepOrigins() throws {
        let chartValues = try ValuesReader.read(Array("replicaCount: 1\nimage:\n  tag: old\n  name: app\nglobal:\n  region: eu\n".utf8), path: "chart/values.yaml")
        let subValues = try ValuesReader.read(Array("port: 80\nglobal:\n  region: us\n".utf8), path: "chart/charts/db/values.yaml")
        let chart = HelmChart(
            metadata: ChartMetadata(name: "app"), values: chartValues.values, valueOrigins: chartValues.origins,
            dependencies: [HelmChart(metadata: ChartMetadata(name: "db"), values: subValues.values, valueOrigins: subValues.origins)])
        let set = SourceLocation(path: "--set", line: 1, column: 1)
        let user = try ReleaseValues.user(
            files: [("base.yaml", Array("image:\n  tag: base\n  pull: Always\n".utf8)), ("prod.yaml", Array("image:\n  tag: new\n".utf8))],
            sets: [("replicaCount=3", set)])
        #expect(user.origins[[.key("image"), .key("pull")]]?.path == "base.yaml")
        let (result, _) = try ReleaseValues.coalesce(chart: chart, user: user)
        #expect(result.values["replicaCount"] == .int(3, .int64))
        #expect(result.origins[[.key("replicaCount")]] == set)
        #expect(result.origins[[.key("image"), .key("tag")]]?.path == "prod.yaml")
        #expect(result.origins[[.key("image"), .key("name")]]?.path == "chart/values.yaml")
        #expect(result.origins[[.key("db"), .key("port")]]?.path == "chart/charts/db/values.yaml")
        // The parent's global wins in the subchart, and so does its origin.
        #expect(ChartDependencies.pathValue(result.values, "db.global.region") == .string("eu"))
        #expect(result.origins[[.key("db"), .key("global"), .key("region")]]?.path == "chart/values.yaml")
    }

    @Test func chartFoldersLoadWithSubcharts() throws {
        let chart = try ChartLoader.load(directory: Self.testCharts + "/subchart")
        #expect(chart.name == "subchart")
        #expect(chart.metadata.apiVersion == "v1")
        #expect(chart.dependencies.map(\.name).sorted() == ["subcharta", "subchartb"])
        #expect(chart.metadata.dependencies.first?.condition == "subcharta.enabled")
        #expect(chart.metadata.dependencies.first?.tags == ["front-end", "subcharta"])
        #expect(chart.metadata.dependencies.last?.importValues.contains(.string("configmap")) == true)
        #expect(chart.templates.contains { $0.name == "templates/subdir/role.yaml" })
        #expect(chart.files.contains { $0.name == "crds/crdA.yaml" })
        #expect(chart.missingDependencies.isEmpty)
        #expect(chart.valueOrigins[[.key("service"), .key("name")]]?.line == 6)
    }

    @Test func linkedSubchartsAreFollowedAndLoopsEnd() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("haaudit-helm-links-\(getpid())").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        let manager = FileManager.default
        try manager.createDirectory(atPath: root + "/lib", withIntermediateDirectories: true)
        try manager.createDirectory(atPath: root + "/app/charts", withIntermediateDirectories: true)
        try Data("apiVersion: v2\nname: lib\nversion: 1.0.0\n".utf8).write(to: URL(fileURLWithPath: root + "/lib/Chart.yaml"))
        try Data("apiVersion: v2\nname: app\nversion: 1.0.0\n".utf8).write(to: URL(fileURLWithPath: root + "/app/Chart.yaml"))
        try manager.createSymbolicLink(atPath: root + "/app/charts/lib", withDestinationPath: "../../lib")
        try manager.createSymbolicLink(atPath: root + "/lib/loop", withDestinationPath: "../app")
        let chart = try ChartLoader.load(directory: root + "/app")
        #expect(chart.dependencies.map(\.name) == ["lib"])
    }

    @Test func chartArchivesLoadInProcess() throws {
        let chart = try ChartLoader.load(directory: Self.testCharts + "/chart-with-template-lib-archive-dep")
        let common = try #require(chart.dependencies.first)
        #expect(common.name == "common")
        #expect(common.metadata.isLibrary)
        #expect(common.templates.contains { $0.name.hasSuffix(".tpl") })
        #expect(common.path.hasSuffix("charts/common-0.0.5.tgz"))
    }

    @Test func missingDependenciesAreReported() throws {
        let files = [
            ChartFile(name: "Chart.yaml", data: Array("apiVersion: v2\nname: shop\nversion: 1.0.0\ndependencies:\n- name: redis\n  version: 17.0.0\n".utf8)),
        ]
        let chart = try ChartLoader.load(files: files, path: "deploy/shop")
        #expect(chart.missingDependencies.map(\.dependency.name) == ["redis"])
        #expect(chart.missingDependencies.first?.description.contains("helm dependency build deploy/shop") == true)
    }

    @Test func chartMetadataIsValidated() throws {
        func load(_ chartYAML: String) throws -> HelmChart {
            try ChartLoader.load(files: [ChartFile(name: "Chart.yaml", data: Array(chartYAML.utf8))], path: "c")
        }
        #expect(try load("name: a\nversion: v1.2\n").metadata.apiVersion == "v1")
        #expect(try load("name: a\nversion: 1.2.3-rc.1+b5\ntype: library\n").metadata.isLibrary)
        #expect(throws: ChartLoadError.self) { try load("version: 1.0.0\n") }
        #expect(throws: ChartLoadError.self) { try load("name: a\n") }
        #expect(throws: ChartLoadError.self) { try load("name: a\nversion: one\n") }
        #expect(throws: ChartLoadError.self) { try load("name: a\nversion: 1.0.0\ntype: plugin\n") }
        #expect(throws: ChartLoadError.self) { try load("name: a\nversion: 1.0.0\ndependencies:\n- name: x\n- name: y\n  alias: x\n") }
    }

    @Test func zipBombsEndInAnError() throws {
        let bomb = Self.gzip([UInt8](repeating: 0, count: 64 << 20))
        var limits = ChartArchive.Limits()
        limits.maxRatio = 50
        #expect(throws: ChartLoadError.self) { try ChartLoader.load(archive: bomb, path: "bomb.tgz", limits: limits) }
        do {
            _ = try ChartArchive.files(bomb, limits: limits)
            Issue.record("a bomb was inflated")
        } catch {
            #expect(error.message.contains("zip bomb"))
        }
        #expect(throws: ChartArchive.ArchiveError.self) { try ChartArchive.files(Array(bomb.prefix(100))) }
        #expect(throws: ChartArchive.ArchiveError.self) { try ChartArchive.files([1, 2, 3]) }
    }

    @Test func dependenciesProcessAsHelmDoes() throws {
        let chart = try ChartLoader.load(directory: Self.testCharts + "/subchart")
        // A condition that is false drops the subchart; tags all false drop both.
        let (processed, _) = try ChartDependencies.process(chart, values: ["subcharta": .map(["enabled": .bool(false)])])
        #expect(processed.dependencies.map(\.name) == ["subchartb"])
        let (none, _) = try ChartDependencies.process(chart, values: ["tags": .map(["front-end": .bool(false)])])
        #expect(none.dependencies.isEmpty)
        // A condition wins over tags.
        let (conditioned, _) = try ChartDependencies.process(chart, values: [
            "tags": .map(["front-end": .bool(false)]), "subchartb": .map(["enabled": .bool(true)]),
        ])
        #expect(conditioned.dependencies.map(\.name) == ["subchartb"])
        // No condition set and no tags: both render.
        let (both, _) = try ChartDependencies.process(chart, values: [:])
        #expect(both.dependencies.map(\.name).sorted() == ["subcharta", "subchartb"])
        // import-values: a name imports the child's exports.NAME at the top, the parent's own
        // values winning; a child/parent pair imports a table to a path.
        #expect(ChartDependencies.pathValue(both.values, "SCBexported1A.SCBexported1B") == .float(1965))
        #expect(ChartDependencies.pathValue(both.values, "SCBexported1A.SC1extra7") == .bool(true))
        #expect(ChartDependencies.pathValue(both.values, "configmap.value") == .string("foo"))
        #expect(ChartDependencies.pathValue(both.values, "exports.SCBexported2.SCBexported2A") == .string("blaster"))
        #expect(both.valueOrigins[[.key("SCBexported1A"), .key("SCBexported1B")]]?.path.hasSuffix("subchartB/values.yaml") == true)
    }

    @Test func aliasesMakeOneSubchartPerAlias() throws {
        let files = [
            ChartFile(name: "Chart.yaml", data: Array("apiVersion: v2\nname: app\nversion: 1.0.0\ndependencies:\n- name: db\n  alias: primary\n- name: db\n  alias: replica\n  condition: replica.enabled\n".utf8)),
            ChartFile(name: "values.yaml", data: Array("replica:\n  port: 6000\n".utf8)),
            ChartFile(name: "charts/db/Chart.yaml", data: Array("apiVersion: v2\nname: db\nversion: 2.0.0\n".utf8)),
            ChartFile(name: "charts/db/values.yaml", data: Array("port: 5432\nenabled: true\n".utf8)),
        ]
        let chart = try ChartLoader.load(files: files, path: "app")
        #expect(chart.missingDependencies.isEmpty)
        let (processed, _) = try ChartDependencies.process(chart, values: [:])
        #expect(processed.dependencies.map(\.name) == ["primary", "replica"])
        let (values, _) = try ReleaseValues.coalesce(chart: processed, user: PositionedValues())
        #expect(ChartDependencies.pathValue(values.values, "primary.port") == .float(5432))
        #expect(ChartDependencies.pathValue(values.values, "replica.port") == .float(6000))
        #expect(values.origins[[.key("primary"), .key("port")]]?.path == "app/charts/db/values.yaml")
        #expect(values.origins[[.key("replica"), .key("port")]]?.path == "app/values.yaml")
        let (withoutReplica, _) = try ChartDependencies.process(chart, values: ["replica": .map(["enabled": .bool(false)])])
        #expect(withoutReplica.dependencies.map(\.name) == ["primary"])
    }

    /// Gzip data (for archive tests), through zlib's deflate.
    static func gzip(_ data: [UInt8]) -> [UInt8] {
        var stream = z_stream()
        _ = deflateInit2_(&stream, Z_BEST_SPEED, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        defer { deflateEnd(&stream) }
        var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, uLong(data.count))) + 64)
        var input = data
        let written: Int = input.withUnsafeMutableBufferPointer { inputBuffer in
            output.withUnsafeMutableBufferPointer { outputBuffer in
                stream.next_in = inputBuffer.baseAddress
                stream.avail_in = uInt(inputBuffer.count)
                stream.next_out = outputBuffer.baseAddress
                stream.avail_out = uInt(outputBuffer.count)
                _ = deflate(&stream, Z_FINISH)
                return outputBuffer.count - Int(stream.avail_out)
            }
        }
        return Array(output.prefix(written))
    }
}

@Suite("Helm toYaml as go-yaml v2 writes it")
struct HelmYAMLTests {
    func yaml(_ value: TemplateValue) throws -> String {
        try HelmFunctions.functions["toYaml"]!.call([value]).stringText
    }

    @Test func scalarsQuoteOnlyWhenTheyMust() throws {
        let cases: [(String, String)] = [
            ("true", #""true""#), ("", #""""#), ("null", #""null""#), ("yes", #""yes""#), ("1.0", #""1.0""#),
            ("09", #""09""#), ("2001-12-14", #""2001-12-14""#), ("1:20", #""1:20""#), ("0x1F", #""0x1F""#),
            ("x: y", "'x: y'"), ("*star", "'*star'"), ("a #b", "'a #b'"), ("a#b", "a#b"), ("- a", "'- a'"),
            ("it's", "it's"), (" lead", "' lead'"), ("tab\there", #""tab\there""#), ("plain text", "plain text"),
        ]
        for (text, written) in cases {
            #expect(try yaml(.map(["k": .string(text)])) == "k: \(written)", "\(text)")
        }
    }

    @Test func numbersAreWhatJSONMadeOfThem() throws {
        #expect(try yaml(.map(["a": .float(3), "b": .float(1.5), "c": .float(1e6), "d": .float(1e21), "e": .float(0.000001)]))
            == "a: 3\nb: 1.5\nc: 1000000\nd: 1e+21\ne: 1e-06")
        #expect(try yaml(.map(["n": .float(.nan)])) == "")
        #expect(throws: TemplateError.self) { try HelmFunctions.functions["mustToYaml"]!.call([.float(.infinity)]) }
    }

    @Test func layoutIsGoYAMLs() throws {
        #expect(try yaml(.map(["list": .list([.string("a"), .string("b")])])) == "list:\n- a\n- b")
        #expect(try yaml(.map(["m": .list([.map(["a": .float(1), "b": .float(2)])])])) == "m:\n- a: 1\n  b: 2")
        #expect(try yaml(.map(["a": .map([:]), "b": .list([])])) == "a: {}\nb: []")
        #expect(try yaml(.map([:])) == "{}")
        // go-yaml v2 reads `y` as a boolean, so writes the string quoted.
        #expect(try yaml(.list([.list([.string("x"), .string("y")])])) == "- - x\n  - \"y\"")
        #expect(try yaml(.map(["a": .map(["b": .map(["c": .string("d")])])])) == "a:\n  b:\n    c: d")
        #expect(try yaml(.string("one")) == "one")
    }

    @Test func keysSortNaturally() throws {
        let keys = ["b", "a10", "a9", "A", "_x"]
        let map = TemplateValue.map(Dictionary(uniqueKeysWithValues: keys.map { ($0, TemplateValue.bool(true)) }))
        #expect(try yaml(map) == "_x: true\nA: true\na9: true\na10: true\nb: true")
    }

    @Test func linesBecomeLiteralBlocks() throws {
        #expect(try yaml(.map(["a": .string("one\ntwo")])) == "a: |-\n  one\n  two")
        #expect(try yaml(.map(["a": .string("one\n")])) == "a: |\n  one")
        #expect(try yaml(.map(["a": .string("one\n\n")])) == "a: |+\n  one\n")
        #expect(try yaml(.map(["a": .string(" lead\nx")])) == "a: |2-\n   lead\n  x")
        #expect(try yaml(.list([.string("a\n\nb")])) == "- |-\n  a\n\n  b")
        #expect(try yaml(.map(["a": .string("trailing \nspace")])) == #"a: "trailing \nspace""#)
    }

    @Test func longLinesFoldAt80Columns() throws {
        let words = Array(repeating: "word", count: 20)
        let folded = "k: " + words.prefix(16).joined(separator: " ") + "\n  " + words.suffix(4).joined(separator: " ")
        #expect(try yaml(.map(["k": .string(words.joined(separator: " "))])) == folded)
        let pretty = try HelmFunctions.functions["toYamlPretty"]!.call([.map(["k": .string(words.joined(separator: " "))])]).stringText
        #expect(pretty == "k: " + words.joined(separator: " "))
    }
}

extension TemplateValue {
    var stringText: String {
        if case .string(let text) = self { return text }
        return "\(self)"
    }
}

@Suite(".helmignore")
struct HelmIgnoreTests {
    @Test func rulesMatchAsHelmsDo() throws {
        let ignore = try HelmIgnore("# comment\n*.swp\n.git/\n/ci/*.yaml\ndocs/*.md\n")
        #expect(ignore.ignores("a.swp", isFolder: false))
        #expect(ignore.ignores("templates/x.swp", isFolder: false))
        #expect(ignore.ignores(".git", isFolder: true))
        #expect(!ignore.ignores(".git", isFolder: false))
        #expect(ignore.ignores("ci/values.yaml", isFolder: false))
        #expect(!ignore.ignores("other/ci/values.yaml", isFolder: false))
        #expect(ignore.ignores("docs/README.md", isFolder: false))
        #expect(ignore.ignores("templates/.hidden", isFolder: false))
        #expect(!ignore.ignores("templates/deployment.yaml", isFolder: false))
        #expect(throws: ChartLoadError.self) { try HelmIgnore("**/x") }
        #expect(HelmIgnore.match("[a-c]?.t*t", "b1.txt") == true)
        #expect(HelmIgnore.match("*", "a/b") == false)
        #expect(HelmIgnore.match("[", "a") == nil)
    }
}

@Suite("Helm fromYaml errors")
struct HelmFromYAMLTests {
    @Test func syntaxErrorsAreWordedAsGoYAMLs() throws {
        let result = try HelmFunctions.functions["fromYaml"]!.call([.string("a: [1, 2\nb: c\n")])
        guard case .map(let entries, _) = result, case .string(let message) = entries["Error"] ?? .null else {
            Issue.record("no error in \(result)")
            return
        }
        #expect(message.hasPrefix("error converting YAML to JSON: yaml: "))
        #expect(message.contains("did not find expected ',' or ']'"))
        #expect(!message.contains("while parsing"))
        #expect(throws: TemplateError.self) { try HelmFunctions.functions["fromYaml"]!.call([.int(1, .int)]) }
    }
}
