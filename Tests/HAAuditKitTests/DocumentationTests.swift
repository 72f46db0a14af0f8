import Foundation
import Testing
@testable import HAAuditEngine
@testable import HAAuditFrontends
@testable import HAAuditModel
@testable import HAAuditParallel
@testable import HAAuditReaders
@testable import HAAuditReporters
@testable import HAAuditRules

/// What the docs derive from the code cannot go stale: each test compares a generated text with
/// the file, and `scripts/update-docs` (HAAUDIT_UPDATE_DOCS=1) makes the same tests rewrite them.
/// Serialized: two of them rewrite README.md.
@Suite("Documentation", .serialized)
struct DocumentationTests {
    static let updating = ProcessInfo.processInfo.environment["HAAUDIT_UPDATE_DOCS"] != nil
    static let rulePages = "\(packageRoot)/docs/rules"

    /// Checks that `path` holds `generated` between the `begin` and `end` markers, or rewrites that part.
    func expectGenerated(_ generated: String, in path: String, between begin: String, and end: String) throws {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let start = try #require(text.range(of: begin), "\(path) lacks \(begin)")
        let finish = try #require(text.range(of: end, range: start.upperBound..<text.endIndex), "\(path) lacks \(end)")
        if Self.updating {
            try (text[..<start.upperBound] + generated + text[finish.lowerBound...]).write(toFile: path, atomically: true, encoding: .utf8)
        } else {
            #expect(String(text[start.upperBound..<finish.lowerBound]) == generated, "\(path) is stale: run scripts/update-docs")
        }
    }

    /// Checks that the file at `path` is `generated`, or writes it.
    func expectGenerated(_ generated: String, at path: String) throws {
        if Self.updating {
            try generated.write(toFile: path, atomically: true, encoding: .utf8)
        } else {
            #expect((try? String(contentsOfFile: path, encoding: .utf8)) == generated, "\(path) is stale: run scripts/update-docs")
        }
    }

    @Test func theReadmeRuleTableIsGeneratedFromTheRules() throws {
        try expectGenerated(RuleDocumentation.markdownTable(RuleCatalog.all), in: "\(packageRoot)/README.md",
                            between: "<!-- rules:begin -->\n", and: "<!-- rules:end -->")
    }

    /// The README's sample text report is a real run, in the folder the README names.
    @Test func theReadmeSampleReportIsARealRun() throws {
        let run = try runHAAudit(["scan", "."], in: "\(packageRoot)/fixtures/kubernetes/shop")
        #expect(run.status == 1, "\(run.stderr)")
        try expectGenerated("```\n" + run.stdout + "```\n", in: "\(packageRoot)/README.md",
                            between: "<!-- sample:begin -->\n", and: "<!-- sample:end -->")
    }

    @Test func everyRuleHasItsGeneratedPage() throws {
        if Self.updating { try FileManager.default.createDirectory(atPath: Self.rulePages, withIntermediateDirectories: true) }
        let pages = Dictionary(uniqueKeysWithValues: RuleCatalog.all.map { rule in
            (RuleDocumentation.pageName(rule.description), RuleDocumentation.page(rule.description))
        }).merging(["README.md": RuleDocumentation.pageIndex(RuleCatalog.all)]) { page, _ in page }
        for (name, page) in pages {
            try expectGenerated(page, at: "\(Self.rulePages)/\(name)")
        }
        // A page whose rule is gone (or renamed) goes too.
        for name in try FileManager.default.contentsOfDirectory(atPath: Self.rulePages) where pages[name] == nil {
            if Self.updating {
                try FileManager.default.removeItem(atPath: "\(Self.rulePages)/\(name)")
            } else {
                Issue.record("docs/rules/\(name) belongs to no rule: run scripts/update-docs")
            }
        }
    }

    @Test func everyRuleExplainsItselfInFixedSections() {
        for rule in RuleCatalog.all {
            let text = RuleDocumentation.explain(rule.description)
            for section in ["## Why it matters", "## How to fix", "## Examples", "### Triggers:", "### Passes:"] {
                #expect(text.contains(section), "\(rule.description.name) lacks \(section)")
            }
            let page = RuleDocumentation.page(rule.description)
            let sections = ["## What it does", "## Why it matters", "## How to fix", "## Parameters", "## Examples", "## Notes"]
            let positions = sections.compactMap { page.range(of: "\n\($0)\n")?.lowerBound }
            #expect(positions.count == sections.count && positions == positions.sorted(), "\(rule.description.name): every section, in order")
        }
    }
}
