import Foundation
import Testing
@testable import HAAuditHelm

/// longhorn/cases.json: a real chart against the manifests its maintainers generate from it,
/// after the recipe's post-processing, compared object by object.
@Suite("longhorn chart conformance")
struct LonghornConformanceTests {
    /// Cases not run yet, with why.
    static let skipped: [String: String] = [:]

    static let root = TypedJSON.conformanceRoot.appendingPathComponent("longhorn").path
    static let namespaceDocument = "---\n# Builtin: \"helm template\" does not respect --create-namespace\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: longhorn-system\n"

    @Test func everyCase() throws {
        try ConformanceRows.expectAll("longhorn/cases.json", id: "name", skipped: Self.skipped, check: Self.check)
    }

    static func check(_ row: RawJSON) -> String? {
        let args = (row["args"]?.array ?? []).compactMap(\.string)
        var sets: [String] = []
        for (index, arg) in args.enumerated() where arg == "--set" && index + 1 < args.count { sets.append(args[index + 1]) }
        do {
            let (_, templates) = try ChartRenderHelpers.render(
                chartDirectory: root + "/" + (row["chart"]?.string ?? ""), sets: sets,
                release: HelmRelease(name: "longhorn", namespace: "longhorn-system"),
                capabilities: HelmCapabilities(kubeVersion: "v1.34.0"))
            let chart = try ChartLoader.load(directory: root + "/" + (row["chart"]?.string ?? ""))
            if let problem = HelmRenderer.kubeVersionIncompatibility(chart, capabilities: HelmCapabilities(kubeVersion: "v1.34.0")) { return problem }
            guard HelmRenderer.kubeVersionIncompatibility(chart, capabilities: HelmCapabilities(kubeVersion: "v1.33.9")) != nil else {
                return "kubeVersion >=1.34.0-0 not enforced"
            }
            var output = namespaceDocument
            for template in templates {
                for document in ChartRenderHelpers.documents(template.text) {
                    // --no-hooks: hook objects are left out.
                    if case .map(let object, _) = try ValuesReader.value(fromYAML: document), isHook(object) { continue }
                    output += "---\n" + document
                }
            }
            let filtered = output.split(separator: "\n", omittingEmptySubsequences: false)
                .filter { !$0.contains("helm.sh") && !$0.contains("app.kubernetes.io/managed-by: Helm") }
                .joined(separator: "\n")
            let golden = try String(contentsOfFile: root + "/" + (row["golden"]?.string ?? ""), encoding: .utf8)
            let differences = ChartRenderHelpers.differences(try ChartRenderHelpers.objects(filtered), try ChartRenderHelpers.objects(golden))
            return differences.isEmpty ? nil : differences.joined(separator: ", ")
        } catch {
            return "failed: \(error)"
        }
    }

    static func isHook(_ object: [String: TemplateValue]) -> Bool {
        guard case .map(let metadata, _) = object["metadata"] ?? .null, case .map(let annotations, _) = metadata["annotations"] ?? .null else { return false }
        return annotations["helm.sh/hook"] != nil
    }
}
