import Foundation
import Testing
@testable import HAAuditHelm

/// helm/values-coalesce.json: every check of every case, through `Coalescer`.
@Suite("Helm values coalescing conformance")
struct ValuesCoalesceConformanceTests {
    /// Cases not run yet, with why.
    static let skipped: [String: String] = [:]

    @Test func everyCase() throws {
        let suite = try TypedJSON.load("helm/values-coalesce.json")
        var passed = 0
        var checks = 0
        var failures: [String] = []
        let cases = suite["cases"]?.array ?? []
        for row in cases {
            let id = row["id"]?.string ?? "?"
            var caseFailures: [String] = []
            do {
                let (result, warnings) = try Self.run(row)
                for check in row["checks"]?.array ?? [] {
                    checks += 1
                    if let problem = Self.verify(check, result) { caseFailures.append(problem) }
                }
                for expected in row["warnings_contain"]?.array ?? [] where !warnings.contains(expected.string ?? "") {
                    caseFailures.append("no warning \(expected.string ?? "") in \(warnings)")
                }
            } catch {
                caseFailures.append("threw \(error)")
            }
            if let reason = Self.skipped[id] {
                if caseFailures.isEmpty { failures.append("\(id) passes but is skipped (\(reason))") }
                continue
            }
            if caseFailures.isEmpty { passed += 1 } else { failures.append("\(id): " + caseFailures.joined(separator: "; ")) }
        }
        print("helm/values-coalesce.json: \(passed)/\(cases.count) cases passed (\(checks) checks), \(Self.skipped.count) skipped")
        #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
    }

    static func run(_ row: RawJSON) throws -> ([String: TemplateValue], [String]) {
        var coalescer = Coalescer()
        switch row["op"]?.string {
        case "CoalesceValues", "MergeValues":
            let result = try coalescer.coalesce(chart: chart(row["chart"]!), values: userValues(row), merge: row["op"]?.string == "MergeValues")
            return (result, coalescer.warnings)
        case "CoalesceTables", "MergeTables":
            var dst = TypedJSON.value(row["dst"]!).table ?? [:]
            coalescer.coalesceTables(&dst, TypedJSON.value(row["src"] ?? .null).table, merge: row["op"]?.string == "MergeTables")
            return (dst, coalescer.warnings)
        case "ToRenderValues":
            let release = row["release"] ?? .null
            let chart = chart(row["chart"]!)
            let values = try coalescer.coalesce(chart: chart, values: userValues(row))
            let top = RenderValues.top(
                chart: chart, values: values,
                release: HelmRelease(
                    name: release["Name"]?.string ?? "", namespace: release["Namespace"]?.string ?? "",
                    revision: { if case .number(let value) = release["Revision"] ?? .null { Int64(value) } else { 0 } }(),
                    isInstall: release["IsInstall"]?.bool ?? false, isUpgrade: release["IsUpgrade"]?.bool ?? false),
                capabilities: HelmCapabilities(kubeVersion: "v1.20.0"))
            return (top.table ?? [:], coalescer.warnings)
        default:
            throw TemplateError("op \(row["op"]?.string ?? "?") not supported")
        }
    }

    static func userValues(_ row: RawJSON) throws -> [String: TemplateValue] {
        if let yaml = row["user_values_yaml"]?.string {
            return try ValuesReader.read(Array(yaml.utf8), path: "user.yaml").values
        }
        return TypedJSON.value(row["user_values"] ?? .null).table ?? [:]
    }

    static func chart(_ json: RawJSON) -> HelmChart {
        HelmChart(
            metadata: ChartMetadata(name: json["name"]?.string ?? ""),
            values: TypedJSON.value(json["values"] ?? .null).table ?? [:],
            dependencies: (json["dependencies"]?.array ?? []).map(chart))
    }

    /// A failure message, or nil when the check holds.
    static func verify(_ check: RawJSON, _ result: [String: TemplateValue]) -> String? {
        if let template = check["template"]?.string {
            let set = TemplateSet()
            do {
                try set.parse(name: "check", text: template)
                let printed = try set.execute(name: "check", data: .map(result))
                return printed == check["expected"]?.string ? nil : "\(template) printed \(printed)"
            } catch {
                return "\(template) failed: \(error)"
            }
        }
        if let apiVersion = check["capabilities_has_api_version"]?.string {
            let versions = lookup(["Capabilities", "APIVersions"], in: result)
            guard case .list(let items, _) = versions ?? .null, items.contains(.string(apiVersion)) else { return "no API version \(apiVersion)" }
            return nil
        }
        guard let path = check["path"]?.array?.compactMap(\.string) else { return "unknown check" }
        let value = lookup(path, in: result)
        if check["absent"]?.bool == true, value != nil { return "\(path) present" }
        if check["present"]?.bool == true, value == nil { return "\(path) absent" }
        if let expected = check["equals"], value != TypedJSON.value(expected) {
            return "\(path) is \(value.map { "\($0)" } ?? "absent"), not \(TypedJSON.value(expected))"
        }
        return nil
    }

    static func lookup(_ path: [String], in map: [String: TemplateValue]) -> TemplateValue? {
        var current: TemplateValue = .map(map)
        for key in path {
            guard case .map(let entries, _) = current, let next = entries[key] else { return nil }
            current = next
        }
        return current
    }
}
