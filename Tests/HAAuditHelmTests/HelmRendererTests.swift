import Foundation
import Testing
@testable import HAAuditHelm

@Suite("Helm renderer")
struct HelmRendererTests {
    static let shop = TypedJSON.conformanceRoot.appendingPathComponent("../acceptance/cases/helm-chart/shop").standardizedFileURL.path

    /// The acceptance chart: a subchart folder and a library chart archive.
    @Test func rendersTheShopChart() throws {
        let (_, templates) = try ChartRenderHelpers.render(chartDirectory: Self.shop)
        #expect(templates.map(\.path) == [
            "shop/charts/cache/templates/statefulset.yaml", "shop/templates/service.yaml", "shop/templates/deployment.yaml",
        ])
        let deployment = try #require(templates.first { $0.path == "shop/templates/deployment.yaml" })
        #expect(deployment.text.contains("replicas: 1\n"))
        #expect(!deployment.text.contains("<no value>"))
        // The replicas action is attributed to the values key it printed; a subchart's to its scope.
        #expect(deployment.spans.contains { $0.valuesPath == ["replicaCount"] && $0.line == 8 })
        #expect(deployment.spans.contains { $0.valuesPath == ["image", "tag"] })
        let cache = try #require(templates.first { $0.path == "shop/charts/cache/templates/statefulset.yaml" })
        #expect(cache.text.contains("replicas: 1\n"))
        let replicas = try #require(cache.spans.first { $0.valuesPath == ["cache", "replicas"] })
        // The parent's values.yaml sets cache.replicas (line 7) over the subchart's default.
        let user = try ReleaseValues.user(files: [], sets: [])
        let chart = try ChartDependencies.process(try ChartLoader.load(directory: Self.shop), values: user.values).chart
        let origins = try ReleaseValues.coalesce(chart: chart, user: user).values.origins
        #expect(replicas.valuesOrigin(in: origins)?.line == 7)
        #expect(replicas.valuesOrigin(in: origins)?.path.hasSuffix("shop/values.yaml") == true)
    }

    @Test func valuesPathsFollowTransparentFunctionsOnly() throws {
        let chart = HelmChart(metadata: ChartMetadata(name: "c"), templates: [
            ChartFile(name: "templates/a.yaml", data: Array("""
            a: {{ .Values.x | quote }}
            b: {{ default "d" .Values.y }}
            c: {{ .Values.z | b64enc }}
            d: {{ toYaml $.Values.m | nindent 2 }}
            """.utf8)),
        ])
        let values = PositionedValues(values: ["x": .string("1"), "y": .string("2"), "z": .string("3"), "m": .map(["k": .string("v")])])
        let rendered = try HelmRenderer.render(chart, values: values)
        let paths = rendered[0].spans.compactMap(\.valuesPath)
        #expect(paths == [["x"], ["y"], ["m"]])
    }

    @Test func errorsCarryTheTemplateAndLine() throws {
        let chart = HelmChart(metadata: ChartMetadata(name: "c"), templates: [
            ChartFile(name: "templates/a.yaml", data: Array("a: 1\nb: {{ required \"b is required\" .Values.b }}\n".utf8)),
        ])
        #expect(throws: HelmRenderError(path: "c/templates/a.yaml", line: 2, message: "execution error at (c/templates/a.yaml:2:6): b is required")) {
            try HelmRenderer.render(chart, values: PositionedValues())
        }
    }

    @Test func capabilitiesAndFilesMethods() throws {
        let chart = HelmChart(metadata: ChartMetadata(name: "c"), templates: [
            ChartFile(name: "templates/a.yaml", data: Array("""
            {{ .Capabilities.APIVersions.Has "apps/v1" }} {{ .Capabilities.APIVersions.Has "x/v9" }} {{ .Capabilities.KubeVersion.Minor }}
            {{ .Capabilities.APIVersions.Has "policy/v1/PodDisruptionBudget" }} {{ .Capabilities.APIVersions.Has "policy/v1beta1/PodSecurityPolicy" }}
            {{ (.Files.Glob "conf/*.ini").AsConfig }}
            """.utf8)),
        ], files: [ChartFile(name: "conf/a.ini", data: Array("k=v".utf8)), ChartFile(name: "conf/sub/b.ini", data: [])])
        let rendered = try HelmRenderer.render(chart, values: PositionedValues())
        #expect(rendered[0].text == "true false 31\ntrue false\na.ini: k=v")
    }

    /// Go maps are shared: `set` changes the map a variable or `.Values` names, and a chart's
    /// later templates (reverse lexical order: z before a) see what an earlier one changed.
    @Test func mapMutationsAreSeenLater() throws {
        let chart = HelmChart(metadata: ChartMetadata(name: "c"), templates: [
            ChartFile(name: "templates/z.yaml", data: Array("{{- $_ := set .Values \"shared\" \"yes\" }}{{ $d := dict }}{{ $_ := set $d \"k\" 1 }}{{ $d.k }}".utf8)),
            ChartFile(name: "templates/a.yaml", data: Array("{{ .Values.shared }}".utf8)),
        ])
        let rendered = try HelmRenderer.render(chart, values: PositionedValues())
        #expect(rendered.map(\.text) == ["1", "yes"])
    }

    @Test func noValueRemovalMovesSpans() {
        let span = { (offset: Int) in TemplateOutputSpan(offset: offset, file: "f", template: "f", line: 1, column: 0, isText: false) }
        let (text, spans) = HelmRenderer.removingNoValue("a<no value>b<no value>", [span(0), span(1), span(11), span(12)])
        #expect(text == "ab")
        #expect(spans.map(\.offset) == [0, 1, 1, 2])
    }

    @Test func globPatterns() throws {
        func matches(_ pattern: String, _ name: String) throws -> Bool {
            try GlobPattern.expandBraces(pattern, limit: 16).contains {
                GlobPattern.matches(Array($0.utf8), Array(name.utf8), separator: UInt8(ascii: "/"))
            }
        }
        #expect(try matches("conf/*.ini", "conf/a.ini"))
        #expect(try !matches("conf/*.ini", "conf/sub/a.ini"))
        #expect(try matches("conf/**", "conf/sub/a.ini"))
        #expect(try matches("**/a.ini", "conf/sub/a.ini"))
        #expect(try matches("conf/{a,b}.ini", "conf/b.ini"))
        #expect(try matches("conf/[a-c]?.ini", "conf/bx.ini"))
        #expect(try !matches("conf/[!a-c].ini", "conf/b.ini"))
        #expect(throws: TemplateError.self) { try GlobPattern.expandBraces("{a,b}{a,b}{a,b}{a,b}{a,b}", limit: 16) }
    }

    /// A value that `tpl`s itself ends at the nesting limit instead of exhausting the stack.
    @Test func selfReferentialTplIsBounded() throws {
        let chart = HelmChart(metadata: ChartMetadata(name: "c"), templates: [
            ChartFile(name: "templates/a.yaml", data: Array("{{ tpl .Values.x . }}".utf8)),
        ])
        let values = PositionedValues(values: ["x": .string("{{ tpl .Values.x . }}")])
        do {
            _ = try HelmRenderer.render(chart, values: values)
            Issue.record("rendered")
        } catch {
            #expect(error.message.contains("tpl calls nest deeper than \(HelmEngineFunctions.maxTplNesting)"))
        }
    }
}
