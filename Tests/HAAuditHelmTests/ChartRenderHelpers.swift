import Foundation
import HAAuditModel
@testable import HAAuditHelm

/// What the chart suites share: a release rendered as `helm template` would, and manifests
/// split into objects keyed as the conformance README says.
enum ChartRenderHelpers {
    struct RenderError: Error, CustomStringConvertible {
        var description: String
    }

    /// Loads a chart folder, applies values files and `--set` entries, processes dependencies,
    /// coalesces and renders.
    static func render(
        chartDirectory: String, valuesFiles: [String] = [], sets: [String] = [], userValues: [String: TemplateValue]? = nil,
        release: HelmRelease = HelmRelease(), capabilities: HelmCapabilities = HelmCapabilities(kubeVersion: HelmRenderer.defaultKubeVersion)
    ) throws -> (chart: HelmChart, templates: [RenderedTemplate]) {
        let loaded = try ChartLoader.load(directory: chartDirectory)
        var user = try ReleaseValues.user(
            files: try valuesFiles.map { path in (path, [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))) },
            sets: sets.map { ($0, SourceLocation(path: "--set", line: 1, column: 1)) })
        if let userValues { user = PositionedValues(values: userValues) }
        let processed = try ChartDependencies.process(loaded, values: user.values).chart
        let coalesced = try ReleaseValues.coalesce(chart: processed, user: user).values
        return (processed, try HelmRenderer.render(processed, values: coalesced, release: release, capabilities: capabilities))
    }

    /// YAML documents of a manifest stream (`---` lines separate them), each ending in a line
    /// break as in the stream (a block scalar's clipped value keeps its final newline).
    static func documents(_ text: String) -> [String] {
        var documents: [String] = []
        var current: [Substring] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line == "---" || line.hasPrefix("--- ") {
                documents.append(current.joined(separator: "\n") + "\n")
                current = []
            } else {
                current.append(line)
            }
        }
        documents.append(current.joined(separator: "\n") + "\n")
        return documents
    }

    /// Objects by `apiVersion/kind/namespace/name`; a repeated key gets `#2`, `#3`, ...
    static func objects(_ text: String) throws -> [String: TemplateValue] {
        var objects: [String: TemplateValue] = [:]
        for document in documents(text) {
            let value = try ValuesReader.value(fromYAML: document)
            guard case .map(let entries, _) = value else { continue }
            let key = objectKey(entries)
            var unique = key
            var counter = 2
            while objects[unique] != nil {
                unique = "\(key)#\(counter)"
                counter += 1
            }
            objects[unique] = value
        }
        return objects
    }

    static func objectKey(_ object: [String: TemplateValue]) -> String {
        func text(_ value: TemplateValue?) -> String {
            if case .string(let text) = value ?? .null { return text }
            return ""
        }
        var metadata: [String: TemplateValue] = [:]
        if case .map(let entries, _) = object["metadata"] ?? .null { metadata = entries }
        return [text(object["apiVersion"]), text(object["kind"]), text(metadata["namespace"]), text(metadata["name"])].joined(separator: "/")
    }

    /// Keys whose objects differ, or that only one side has.
    static func differences(_ actual: [String: TemplateValue], _ expected: [String: TemplateValue]) -> [String] {
        var problems: [String] = []
        for key in Set(actual.keys).union(expected.keys).sorted() {
            switch (actual[key], expected[key]) {
            case (nil, _): problems.append("missing \(key)")
            case (_, nil): problems.append("extra \(key)")
            case (let a?, let b?) where a != b: problems.append("differs \(key) at \(IstioConformanceTests.firstDifference([a], [b]))")
            default: break
            }
        }
        return problems
    }
}
