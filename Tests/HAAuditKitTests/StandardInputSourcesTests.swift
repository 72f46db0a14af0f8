import Foundation
import Testing
@testable import HAAuditFrontends
@testable import HAAuditModel
@testable import HAAuditReaders

/// Standard input keeps its sources (DESIGN section 11): `# Source:` comments of `helm template`
/// lead to the chart's template, and findings to the field's line in it.
@Suite("Standard input sources")
struct StandardInputSourcesTests {
    static let template = """
        {{- if .Values.enabled }}
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: {{ .Release.Name }}-api
          labels:
            {{- include "shop.labels" . | nindent 4 }}
        spec:
          # how many
          replicas: {{ .Values.replicas }}
          template:
            spec:
              containers:
              - name: api
                image: "example/api:{{ .Chart.AppVersion }}"
                {{- toYaml .Values.resources | nindent 8 }}
              - name: sidecar
                "image": proxy
        {{- end }}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: {{ .Release.Name }}-api}
        spec:
          ports: [{port: 80}]
        """

    static let rendered = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: prod-api
          labels:
            app: api
        spec:
          replicas: 1
          template:
            spec:
              containers:
                - name: api
                  image: example/api:1.0
                  resources: {limits: {cpu: 1}}
                - name: sidecar
                  image: proxy
          selector: {matchLabels: {app: api}}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: prod-api}
        spec:
          ports: [{port: 80}]
        """

    func documents(_ text: String) throws -> [Node] {
        try YAMLReader(limits: ReaderLimits()).read(Array(text.utf8))
    }

    func line(_ origins: [Node.ID: HAAuditModel.SourceLocation], _ node: Node?) -> Int? {
        node.flatMap { origins[$0.id]?.line }
    }

    @Test func findsTheLinesOfKeyPathsAcrossDirectives() throws {
        let lines = TemplateLines(path: "t.yaml", text: Self.template)
        let objects = try documents(Self.rendered)
        let deployment = objects[0]
        let origins = lines.origins(of: deployment, kind: "Deployment", occurrence: 0)
        #expect(line(origins, deployment) == 3)
        #expect(line(origins, deployment[path: "metadata", "name"]) == 5)
        #expect(line(origins, deployment[path: "spec", "replicas"]) == 10)
        let containers = deployment[path: "spec", "template", "spec", "containers"]?.items ?? []
        #expect(line(origins, containers[0]["name"]) == 14)
        #expect(line(origins, containers[0]["image"]) == 15)
        // Written by a directive: the line of the nearest ancestor found.
        #expect(line(origins, containers[0][path: "resources", "limits"]) == 14)
        #expect(line(origins, deployment[path: "metadata", "labels", "app"]) == 6)
        #expect(line(origins, containers[1]["image"]) == 18)
        // Every node is placed, so nothing is left at <stdin>.
        #expect(origins.count > 20)

        // The Service is the template's second document; keys in `{...}` take their line.
        let service = objects[1]
        let serviceOrigins = lines.origins(of: service, kind: "Service", occurrence: 0)
        #expect(line(serviceOrigins, service) == 22)
        #expect(line(serviceOrigins, service[path: "metadata", "name"]) == 23)
        #expect(line(serviceOrigins, service[path: "spec", "ports"]) == 25)
    }

    @Test func anObjectFoundNowhereTakesLineOne() throws {
        let lines = TemplateLines(path: "t.yaml", text: "{{ .Values.whole | toYaml }}\n")
        let object = try documents("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n")[0]
        let origins = lines.origins(of: object, kind: "ConfigMap", occurrence: 0)
        #expect(origins[object.id] == HAAuditModel.SourceLocation(path: "t.yaml", line: 1, column: 1))
        #expect(line(origins, object[path: "metadata", "name"]) == 1)
    }

    @Test func leadingCommentsStopAtTheDocumentStart() {
        let text = "# top\n---\n# Source: a/templates/x.yaml\n\nkind: A\n# trailing of A\n---\n# Source: a/templates/y.yaml\nkind: B\n"
        let comments = LeadingComments(Array(text.utf8))
        #expect(comments.before(line: 5) == ["Source: a/templates/x.yaml"])
        #expect(comments.before(line: 9) == ["Source: a/templates/y.yaml"])
        #expect(comments.before(line: 1) == [])
    }

    /// `helm template shop charts/shop | haaudit scan -`, run where the chart is.
    @Test func findingsOfRenderedInputAnchorInTheTemplate() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let chart = folder.appendingPathComponent("charts/shop")
        try FileManager.default.createDirectory(at: chart.appendingPathComponent("templates"), withIntermediateDirectories: true)
        try "apiVersion: v2\nname: shop\nversion: 0.1.0\n".write(to: chart.appendingPathComponent("Chart.yaml"), atomically: true, encoding: .utf8)
        try Self.template.write(to: chart.appendingPathComponent("templates/deployment.yaml"), atomically: true, encoding: .utf8)
        let stream = "---\n# Source: shop/templates/deployment.yaml\n" + Self.rendered.replacingOccurrences(
            of: "---\n", with: "---\n# Source: shop/templates/deployment.yaml\n")

        let json = try runHAAudit(["scan", "-", "--format", "json"], in: folder.path, stdin: stream)
        #expect(json.status == 1)
        let report = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let findings = report["findings"] as? [[String: Any]] ?? []
        let single = try #require(findings.first { $0["rule"] as? String == "single-replica" })
        let location = single["location"] as? [String: Any]
        #expect(location?["path"] as? String == "charts/shop/templates/deployment.yaml")
        #expect(location?["line"] as? Int == 10)
        #expect(!json.stdout.contains("<stdin>"))

        let sarif = try runHAAudit(["scan", "-", "--format", "sarif"], in: folder.path, stdin: stream)
        #expect(sarif.stdout.contains("\"charts/shop/templates/deployment.yaml\""))
        #expect(!sarif.stdout.contains("stdin"))

        // Without a source, SARIF names standard input `stdin`, never `<stdin>`.
        let unknown = try runHAAudit(["scan", "-", "--format", "sarif"], in: folder.path, stdin: Self.rendered)
        #expect(unknown.stdout.contains("\"uri\": \"stdin\""))
        #expect(!unknown.stdout.contains("<stdin>") && !unknown.stdout.contains("%3Cstdin%3E"))
    }
}
