import HAAuditHelm
import Testing
@testable import HAAuditEngine
@testable import HAAuditReaders
@testable import HAAuditModel

/// Where the nodes of a rendered chart are traced: values printed with `toYaml` (directly, or
/// handed to a define as bitnami's `common.tplvalues.render` is) to the values line of each
/// field, text an `include` copies to the line of its `define`.
@Suite("Helm positions")
struct HelmPositionsTests {
    static let values = """
        resources:
          limits:
            memory: 512Mi
        spread:
          - maxSkew: 1
            topologyKey: topology.kubernetes.io/zone
        podLabels:
          team: shop
        """

    static let chart = HelmChart(metadata: ChartMetadata(name: "web"), templates: [
        ChartFile(name: "templates/_helpers.tpl", data: Array("""
            {{- define "web.labels" -}}
            app: web
            {{- end }}
            {{- define "web.render" -}}
            {{- $value := typeIs "string" .value | ternary .value (.value | toYaml) }}
            {{- $value }}
            {{- end -}}
            """.utf8)),
        ChartFile(name: "templates/pod.yaml", data: Array("""
            kind: Pod
            metadata:
              labels:
                {{- include "web.labels" . | nindent 4 }}
                {{- toYaml .Values.podLabels | nindent 4 }}
            spec:
              topologySpreadConstraints: {{- include "web.render" (dict "value" .Values.spread "context" $) | nindent 4 }}
              containers:
                - name: web
                  resources:
                    {{- toYaml .Values.resources | nindent 8 }}
            """.utf8)),
    ])

    /// The rendered pod and where each of its nodes is.
    static func traced() throws -> (pod: Node, origins: [Node.ID: HAAuditModel.SourceLocation]) {
        let values = try ValuesReader.read(Array(Self.values.utf8), path: "values.yaml")
        let rendered = try #require(try HelmRenderer.render(Self.chart, values: values).first { $0.path == "web/templates/pod.yaml" })
        let bytes = Array(rendered.text.utf8)
        let pod = try #require(try DocumentSyntax.yaml.reader().read(bytes).first)
        let tracer = RenderedTemplateOrigins(text: bytes, spans: rendered.spans, origins: values.origins) { $0 }
        return (pod, tracer.origins(of: pod).origins)
    }

    @Test func toYamlFieldsAnchorOnTheirValuesLines() throws {
        let (pod, origins) = try Self.traced()
        let memory = try #require(pod[path: "spec", "containers"]?.items.first?[path: "resources", "limits", "memory"])
        #expect(origins[memory.id] == HAAuditModel.SourceLocation(path: "values.yaml", line: 3, column: 13))
        let zone = try #require(pod[path: "spec", "topologySpreadConstraints"]?.items.first?["topologyKey"])
        #expect(origins[zone.id] == HAAuditModel.SourceLocation(path: "values.yaml", line: 6, column: 18))
        // Added to a map the template writes: the entry's own values line.
        let team = try #require(pod[path: "metadata", "labels", "team"])
        #expect(origins[team.id] == HAAuditModel.SourceLocation(path: "values.yaml", line: 8, column: 9))
    }

    @Test func includedTextAnchorsOnItsDefine() throws {
        let (pod, origins) = try Self.traced()
        let app = try #require(pod[path: "metadata", "labels"]?.entry("app"))
        #expect(origins[app.key.id] == HAAuditModel.SourceLocation(path: "web/templates/_helpers.tpl", line: 2, column: 1))
        let kind = try #require(pod.entry("kind"))
        #expect(origins[kind.key.id] == HAAuditModel.SourceLocation(path: "web/templates/pod.yaml", line: 1, column: 1))
    }
}
