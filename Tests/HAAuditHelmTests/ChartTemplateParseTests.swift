import Foundation
import Testing
@testable import HAAuditHelm

/// Every template file of the suite's real charts (istio, longhorn, Helm's test charts) parses.
/// Function names are not checked here: Sprig and Helm functions belong to other layers.
@Suite("Chart templates parse")
struct ChartTemplateParseTests {
    @Test func everyChartTemplateParses() throws {
        let root = TypedJSON.conformanceRoot
        guard let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil) else { return }
        var parsed = 0
        var failures: [String] = []
        for case let url as URL in walker where url.path.contains("/templates/") {
            guard ["yaml", "yml", "tpl", "txt"].contains(url.pathExtension), let text = try? String(contentsOf: url, encoding: .utf8) else { continue }
            var options = TemplateParser.Options()
            options.skipFunctionCheck = true
            do throws(TemplateError) {
                _ = try TemplateParser.parse(name: url.lastPathComponent, text: text, options: options) { _ in true }
                parsed += 1
            } catch {
                failures.append("\(url.path): \(error.message)")
            }
        }
        print("chart templates parsed: \(parsed)")
        #expect(parsed > 100)
        #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
    }
}
