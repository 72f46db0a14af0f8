import Foundation
import Testing
@testable import HAAuditHelm

/// helm/template/cases.json: `helm template` cases, rendered and compared object by object with
/// the goldens (key: apiVersion/kind/namespace/name).
@Suite("helm template conformance")
struct HelmTemplateConformanceTests {
    /// Cases not run yet, with why.
    static let skipped: [String: String] = [
        "template-04": "CLI argument validation (no chart given), not the renderer",
        "template-17": "YAML validation of rendered manifests happens after rendering (helm's action), not in the renderer",
        "template-18": "YAML validation of rendered manifests happens after rendering (helm's action), not in the renderer",
        "template-19": "Go refuses a nil piped into a string parameter before the call (`invalid value; expected string`); Sprig functions declare no parameter types, so the message gains `error calling b64enc:`",
        "template-21": "coalescing: nulls in the parent's values.yaml delete the subchart's defaults here, Helm keeps them (issue 9027; Coalescer)",
    ]

    static let root = TypedJSON.conformanceRoot.appendingPathComponent("helm/template").path

    @Test func everyCase() throws {
        try ConformanceRows.expectAll("helm/template/cases.json", skipped: Self.skipped, check: Self.check)
    }

    /// The flags of `helm template` the cases use.
    struct Arguments {
        var chart: String?
        var sets: [String] = []
        var valuesFiles: [String] = []
        var showOnly: [String] = []
        var kubeVersion = "v1.20.0"
        var apiVersions: [String] = []
        var includeCRDs = false
        var skipTests = false
        var nameTemplate: String?

        init(_ args: [String]) {
            var index = 1
            func next() -> String {
                index += 1
                return index < args.count ? args[index] : ""
            }
            while index < args.count {
                let arg = args[index]
                switch arg {
                case "--set": sets.append(next())
                case "--values", "-f": valuesFiles.append(root + "/" + next())
                case "--show-only", "-s": showOnly.append(next())
                case "--kube-version": kubeVersion = next()
                case "--api-versions": apiVersions += next().split(separator: ",").map(String.init)
                case "--include-crds": includeCRDs = true
                case "--skip-tests": skipTests = true
                case "--debug": break
                default:
                    if arg.hasPrefix("--name-template=") {
                        nameTemplate = String(arg.dropFirst("--name-template=".count))
                    } else {
                        chart = root + "/" + arg
                    }
                }
                index += 1
            }
        }
    }

    static func check(_ row: RawJSON) -> String? {
        let arguments = Arguments((row["args"]?.array ?? []).compactMap(\.string))
        guard let chartPath = arguments.chart else { return "no chart argument" }
        var expectedText: String
        do {
            expectedText = try String(contentsOfFile: root + "/" + (row["golden"]?.string ?? ""), encoding: .utf8)
        } catch {
            return "golden: \(error)"
        }
        var release = HelmRelease()
        if let nameTemplate = arguments.nameTemplate {
            let set = TemplateSet(name: "name-template", functions: Sprig.functions)
            do {
                try set.parse(name: "name-template", text: nameTemplate)
                release.name = try set.execute(name: "name-template", data: .null)
            } catch {
                return "name template: \(error)"
            }
        }
        let capabilities = HelmCapabilities(kubeVersion: arguments.kubeVersion,
                                            apiVersions: HelmCapabilities.builtInAPIVersions + arguments.apiVersions)
        let rendered: (chart: HelmChart, templates: [RenderedTemplate])
        do {
            rendered = try ChartRenderHelpers.render(chartDirectory: chartPath, valuesFiles: arguments.valuesFiles, sets: arguments.sets,
                                                     release: release, capabilities: capabilities)
        } catch let error as HelmRenderError {
            guard row["ok"]?.bool == false else { return "failed: \(error.message)" }
            let expected = row["expectedError"]?.string ?? ""
            return error.message == expected ? nil : "error \(error.message.debugDescription), expected \(expected.debugDescription)"
        } catch let error as ChartLoadError {
            guard row["ok"]?.bool == false else { return "failed: \(error)" }
            let expected = row["expectedError"]?.string ?? ""
            return error.message == expected ? nil : "load error \(error.message.debugDescription), expected \(expected.debugDescription)"
        } catch {
            return "failed: \(error)"
        }
        if row["ok"]?.bool == false { return "rendered, expected an error" }
        var output = ""
        if arguments.includeCRDs { output += crds(rendered.chart).joined(separator: "\n---\n") + "\n---\n" }
        for template in rendered.templates {
            // --show-only matches the path after the chart name, as filepath.Match.
            let inner = String(template.path.drop { $0 != "/" }.dropFirst())
            if !arguments.showOnly.isEmpty,
               !arguments.showOnly.contains(where: { GlobPattern.matches(Array($0.utf8), Array(inner.utf8), separator: UInt8(ascii: "/")) }) {
                continue
            }
            output += "\n---\n" + template.text + "\n"
        }
        do {
            var actual = try ChartRenderHelpers.objects(output)
            if arguments.skipTests { actual = actual.filter { !isTestHook($0.value) } }
            let expected = try ChartRenderHelpers.objects(expectedText)
            let differences = ChartRenderHelpers.differences(actual, expected)
            return differences.isEmpty ? nil : differences.joined(separator: ", ")
        } catch {
            return "YAML: \(error)"
        }
    }

    /// `crds/` files of the chart and its subcharts (Helm prints them first with --include-crds).
    static func crds(_ chart: HelmChart) -> [String] {
        chart.dependencies.flatMap(crds) + chart.files.filter { $0.name.hasPrefix("crds/") }.map(\.text)
    }

    static func isTestHook(_ object: TemplateValue) -> Bool {
        guard case .map(let entries, _) = object, case .map(let metadata, _) = entries["metadata"] ?? .null,
              case .map(let annotations, _) = metadata["annotations"] ?? .null,
              case .string(let hook) = annotations["helm.sh/hook"] ?? .null else { return false }
        return hook.split(separator: ",").contains { $0.trimmingCharacters(in: .whitespaces).hasPrefix("test") }
    }
}
