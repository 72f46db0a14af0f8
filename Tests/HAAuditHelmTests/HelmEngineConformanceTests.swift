import Foundation
import Testing
@testable import HAAuditHelm

/// helm/engine.json: Helm's engine tests as data, through `HelmRenderer`.
@Suite("Helm engine conformance")
struct HelmEngineConformanceTests {
    /// Rows not run yet, with why.
    static let skipped: [String: String] = [
        "engine-lookup-client": "lookup against a fake cluster: the renderer has no cluster client (lookup is always empty)",
        "engine-lookup-client-error": "lookup against a fake cluster: the renderer has no cluster client",
    ]

    @Test func everyRow() throws {
        try ConformanceRows.expectAll("helm/engine.json", skipped: Self.skipped, check: Self.check)
    }

    /// Nil when the row holds, else what differs.
    static func check(_ row: RawJSON) -> String? {
        switch row["kind"]?.string {
        case "sort-templates":
            let input = (row["input"]?.array ?? []).compactMap(\.string)
            let expected = (row["expected"]?.array ?? []).compactMap(\.string)
            let sorted = HelmRenderer.sortTemplates(input)
            return sorted == expected ? nil : "order \(sorted)"
        case "funcmap":
            let table = HelmEngineFunctions.table(options: .init())
            let absent = (row["absent"]?.array ?? []).compactMap(\.string).filter { table[$0] != nil }
            let present = (row["present"]?.array ?? []).compactMap(\.string).filter { table[$0] == nil }
            return absent.isEmpty && present.isEmpty ? nil : "present \(absent), absent \(present)"
        case "collect-templates":
            var renderables: [String: HelmRenderer.Renderable] = [:]
            _ = HelmRenderer.collect(chart(row["chart"] ?? .null), parentPath: nil, scope: [:], valuesPrefix: [], into: &renderables)
            guard case .number(let count) = row["expected_count"] ?? .null else { return "no expected_count" }
            let expected = Int(count)
            return renderables.count == expected ? nil : "\(renderables.count) templates"
        case "renderables":
            var renderables: [String: HelmRenderer.Renderable] = [:]
            if case .object(let templates) = row["templates"] ?? .null {
                for (name, entry) in templates {
                    guard case .map(let top, _) = TypedJSON.value(entry["vals"] ?? .null) else { continue }
                    renderables[name] = .init(text: entry["tpl"]?.string ?? "", top: top, basePath: "", valuesPrefix: [])
                }
            }
            return outcome(row) { () throws(HelmRenderError) in try HelmRenderer.execute(renderables, options: options(row)) }
        case "render":
            let loaded = chart(row["chart"] ?? .null)
            var top: TemplateValue
            if let given = row["values_from_coalesce"], case .map(let entries, _) = TypedJSON.value(given) {
                var coalescer = Coalescer()
                top = .map((try? coalescer.coalesce(chart: loaded, values: entries)) ?? [:])
            } else {
                top = values(row["values"] ?? .null, chart: loaded)
            }
            return outcome(row) { () throws(HelmRenderError) in try HelmRenderer.render(loaded, top: top, options: options(row)) }
        default:
            return "unknown kind"
        }
    }

    static func options(_ row: RawJSON) -> HelmRenderer.Options {
        .init(lintMode: row["options"]?["lintMode"]?.bool ?? false, strict: row["options"]?["strict"]?.bool ?? false)
    }

    static func outcome(_ row: RawJSON, _ render: () throws(HelmRenderError) -> [RenderedTemplate]) -> String? {
        let result: [RenderedTemplate]
        do {
            result = try render()
        } catch {
            guard row["ok"]?.bool == false else { return "failed: \(error.message)" }
            if let exact = row["error"]?.string, error.message != exact { return "error \(error.message.debugDescription), expected \(exact.debugDescription)" }
            if let part = row["error_contains"]?.string, !error.message.contains(part) { return "error \(error.message.debugDescription) lacks \(part.debugDescription)" }
            if let suffix = row["error_suffix"]?.string, !error.message.hasSuffix(suffix) { return "error \(error.message.debugDescription) does not end \(suffix.debugDescription)" }
            return nil
        }
        if row["ok"]?.bool == false { return "rendered, expected an error" }
        let outputs = Dictionary(result.map { ($0.path, $0.text) }, uniquingKeysWith: { $1 })
        if case .number(let count) = row["expected_count"] ?? .null, outputs.count != Int(count) { return "\(outputs.count) outputs" }
        guard case .object(let expected) = row["expected"] ?? .null else { return nil }
        for (key, text) in expected {
            let want = repeated(text)
            if outputs[key] != want { return "\(key): \(outputs[key].debugDescription), expected \(want.debugDescription)" }
        }
        return nil
    }

    /// A string, or `{"$repeat": s, "times": n}`.
    static func repeated(_ json: RawJSON) -> String {
        if let text = json.string { return text }
        guard let unit = json["$repeat"]?.string, case .number(let times) = json["times"] ?? .null else { return "" }
        return String(repeating: unit, count: Int(times))
    }

    /// The suite's chart format (engine.json meta `chart_format`).
    static func chart(_ json: RawJSON) -> HelmChart {
        var metadata = ChartMetadata(name: json["name"]?.string ?? "", version: json["version"]?.string ?? "")
        if let apiVersion = json["apiVersion"]?.string { metadata.apiVersion = apiVersion }
        func files(_ key: String) -> [ChartFile] {
            guard case .object(let entries) = json[key] ?? .null else { return [] }
            return entries.keys.sorted().map { ChartFile(name: $0, data: Array(repeated(entries[$0]!).utf8)) }
        }
        var values: [String: TemplateValue] = [:]
        if case .map(let entries, _) = TypedJSON.value(json["values"] ?? .null) { values = entries }
        return HelmChart(metadata: metadata, values: values, templates: files("templates"), files: files("files"),
                         dependencies: (json["dependencies"]?.array ?? []).map(chart))
    }

    /// Top-level values with the markers `{"$coalesce": X}` and `"$chart.metadata"` resolved.
    static func values(_ json: RawJSON, chart: HelmChart) -> TemplateValue {
        switch json {
        case .string("$chart.metadata"):
            return chart.metadata.templateValue
        case .object(let entries):
            if let inner = entries["$coalesce"], entries.count == 1 {
                guard case .map(let given, _) = TypedJSON.value(inner) else { return .null }
                var coalescer = Coalescer()
                return .map((try? coalescer.coalesce(chart: chart, values: given)) ?? [:])
            }
            if entries.keys.contains(where: { $0.hasPrefix("$") }) { return TypedJSON.value(json) }
            return .map(entries.mapValues { values($0, chart: chart) })
        default:
            return TypedJSON.value(json)
        }
    }
}
