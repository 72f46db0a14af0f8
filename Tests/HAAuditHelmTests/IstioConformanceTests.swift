import Foundation
import Testing
@testable import HAAuditHelm

/// istio/cases.json: istio's charts rendered through the engine as istio's own test does, the
/// selected objects compared as parsed YAML with the goldens.
@Suite("istio chart conformance")
struct IstioConformanceTests {
    /// Cases not run yet, with why.
    static let skipped: [String: String] = [:]

    static let root = TypedJSON.conformanceRoot.appendingPathComponent("istio").path

    @Test func everyCase() throws {
        try ConformanceRows.expectAll("istio/cases.json", id: "name", skipped: Self.skipped, check: Self.check)
    }

    static func check(_ row: RawJSON) -> String? {
        do {
            let input = try String(contentsOfFile: root + "/" + (row["values"]?.string ?? ""), encoding: .utf8)
            var user: [String: TemplateValue] = [:]
            if case .map(let file, _) = try ValuesReader.value(fromYAML: input), case .map(let spec, _) = file["spec"] ?? .null,
               case .map(let values, _) = spec["values"] ?? .null {
                user = values
            }
            let isUpgrade = row["isUpgrade"]?.bool ?? false
            let release = HelmRelease(name: row["releaseName"]?.string ?? "", namespace: row["namespace"]?.string ?? "",
                                      isInstall: !isUpgrade, isUpgrade: isUpgrade)
            let (_, templates) = try ChartRenderHelpers.render(
                chartDirectory: root + "/" + (row["chart"]?.string ?? ""), userValues: user, release: release,
                capabilities: HelmCapabilities(kubeVersion: "v1.32.0"))
            let selector = try NSRegularExpression(pattern: selectorPattern(row["selector"]?.string ?? ""))
            var selected: [TemplateValue] = []
            for template in templates.sorted(by: { $0.path < $1.path }) {
                for document in ChartRenderHelpers.documents(template.text) {
                    guard case .map(let object, _) = try ValuesReader.value(fromYAML: document), object["kind"] != nil else { continue }
                    let key = objectKey(object)
                    if selector.firstMatch(in: key, range: NSRange(key.startIndex..., in: key)) != nil { selected.append(.map(object)) }
                }
            }
            let golden = try String(contentsOfFile: root + "/" + (row["golden"]?.string ?? ""), encoding: .utf8)
            let expected = try ChartRenderHelpers.documents(golden).map { try ValuesReader.value(fromYAML: $0) }.filter { $0 != .null }
            if selected == expected { return nil }
            let keys = selected.compactMap { value -> String? in
                if case .map(let object, _) = value { return ChartRenderHelpers.objectKey(object) }
                return nil
            }
            return "selected \(selected.count) objects \(keys), expected \(expected.count); first difference in \(firstDifference(selected, expected))"
        } catch {
            return "failed: \(error)"
        }
    }

    /// `Kind:Namespace:Name` with empty or `*` fields as `.*`.
    static func selectorPattern(_ selector: String) -> String {
        selector.split(separator: ":", omittingEmptySubsequences: false).map { $0.isEmpty || $0 == "*" ? ".*" : String($0) }.joined(separator: ":")
    }

    static func objectKey(_ object: [String: TemplateValue]) -> String {
        func text(_ value: TemplateValue?) -> String {
            if case .string(let text) = value ?? .null { return text }
            return ""
        }
        var metadata: [String: TemplateValue] = [:]
        if case .map(let entries, _) = object["metadata"] ?? .null { metadata = entries }
        let kind = text(object["kind"])
        if kind == "ClusterRole" || kind == "ClusterRoleBinding" { return "\(kind):\(text(metadata["name"]))" }
        return "\(kind):\(text(metadata["namespace"])):\(text(metadata["name"]))"
    }

    /// The first path where two values differ, for the failure message.
    static func firstDifference(_ a: [TemplateValue], _ b: [TemplateValue]) -> String {
        func walk(_ x: TemplateValue, _ y: TemplateValue, _ path: String) -> String? {
            switch (x, y) {
            case (.map(let m, _), .map(let n, _)):
                for key in Set(m.keys).union(n.keys).sorted() {
                    if let found = walk(m[key] ?? .null, n[key] ?? .null, path + "." + key) { return found }
                }
                return nil
            case (.list(let l, _), .list(let r, _)) where l.count == r.count:
                for index in l.indices { if let found = walk(l[index], r[index], path + "[\(index)]") { return found } }
                return nil
            default:
                return x == y ? nil : "\(path): \(GoFormat.string(x).prefix(200)) vs \(GoFormat.string(y).prefix(200))"
            }
        }
        for index in 0..<min(a.count, b.count) { if let found = walk(a[index], b[index], "[\(index)]") { return found } }
        return "count"
    }
}
