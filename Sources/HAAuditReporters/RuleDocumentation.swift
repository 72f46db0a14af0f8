import HAAuditModel
import HAAuditReaders
import HAAuditRules

/// Renders rules' documentation from their descriptions: `haaudit explain`, `haaudit rules`, the
/// README table. The examples shown are the ones the tests run.
public enum RuleDocumentation {
    /// The full documentation of one rule, in Markdown with fixed sections (`haaudit explain`,
    /// SARIF's help).
    public static func explain(_ description: RuleDescription, severity: Severity? = nil) -> String {
        var text = "# \(description.name) (\(description.code))\n\n"
        text += "\(description.summary)\n\n"
        text += overview(description, severity: severity)
        text += "## Why it matters\n\n\(description.rationale)\n\n"
        text += "## How to fix\n\n\(description.remediation)\n\n"
        if !description.parameters.isEmpty { text += "## Parameters\n\n" + parameterList(description) + "\n" }
        if !description.notes.isEmpty { text += "## Notes\n\n" + noteList(description) + "\n" }
        return text + "## Examples\n" + examples(description)
    }

    /// A rule's page under `docs/rules/`: every section present, in a fixed order (as ruff's
    /// rule pages), so that pages read alike and link to the same anchors.
    public static func page(_ description: RuleDescription) -> String {
        var text = "# \(description.name) (\(description.code))\n\n"
        text += "<!-- Generated from the rule by scripts/update-docs: edit the rule, not this page. -->\n\n"
        text += overview(description, severity: nil)
        text += "## What it does\n\n\(description.summary)\n\n"
        text += "## Why it matters\n\n\(description.rationale)\n\n"
        text += "## How to fix\n\n\(description.remediation)\n\n"
        text += "## Parameters\n\n"
        if let first = description.parameters.first {
            text += parameterList(description) + "\nSet in a policy or the configuration file: "
                + "`rules: {\(description.name): {parameters: {\(first.name): \(first.defaultValue)}}}`.\n\n"
        } else {
            text += "None.\n\n"
        }
        text += "## Examples\n" + examples(description) + "\n"
        return text + "## Notes\n\n" + (description.notes.isEmpty ? "None.\n" : noteList(description))
    }

    /// The name of a rule's page: `HA101-single-replica.md`.
    public static func pageName(_ description: RuleDescription) -> String {
        "\(description.code)-\(description.name).md"
    }

    /// `docs/rules/README.md`: a link to every rule's page.
    public static func pageIndex(_ rules: [any Rule]) -> String {
        "# Rules\n\nOne page per rule, generated from the rule by `scripts/update-docs`. "
            + "`haaudit explain RULE` prints the same documentation.\n\n"
            + rules.map { rule in
                let description = rule.description
                return "- [\(description.code) `\(description.name)`](\(pageName(description))): \(description.summary)\n"
            }.joined()
    }

    private static func overview(_ description: RuleDescription, severity: Severity?) -> String {
        var text = "Category: \(description.category.rawValue). Default severity: \(description.severity.rawValue)"
        if let severity, severity != description.severity { text += " (\(severity.rawValue) in this policy)" }
        return text + ". Platforms: \(description.platforms.map(\.rawValue).joined(separator: ", ")).\n\n"
    }

    private static func parameterList(_ description: RuleDescription) -> String {
        description.parameters.map { "- `\($0.name)` (default \($0.defaultValue)): \($0.summary)\n" }.joined()
    }

    private static func noteList(_ description: RuleDescription) -> String {
        description.notes.map { "- \($0)\n" }.joined()
    }

    /// The examples the tests run, each under a heading that says whether it triggers the rule.
    private static func examples(_ description: RuleDescription) -> String {
        var text = ""
        for example in description.examples {
            let verdict = switch example.expectation {
            case .triggers: "Triggers"
            case .passes: "Passes"
            case .notApplicable: "Not applicable"
            }
            let finding = example.finding.map { ", line \($0.line), column \($0.column), \(($0.severity ?? description.severity).rawValue)" } ?? ""
            text += "\n### \(verdict): \(example.title) (\(example.platform.rawValue)\(finding))\n\n"
            for (path, body) in example.files {
                if example.files.count > 1 { text += "`\(path)`:\n\n" }
                text += "```\(Self.language(path))\n\(body)\n```\n"
            }
        }
        return text
    }

    private static func language(_ path: String) -> String {
        switch DocumentSyntax.detect(path: path, bytes: []) {
        case .json: "json"
        case .xml: "xml"
        case .yaml: "yaml"
        }
    }

    /// The catalog as a Markdown table, for the README.
    public static func markdownTable(_ rules: [any Rule]) -> String {
        var text = "| code | rule | category | severity | platforms | summary |\n|---|---|---|---|---|---|\n"
        for rule in rules {
            let description = rule.description
            text += "| \(description.code) | `\(description.name)` | \(description.category.rawValue) | \(description.severity.rawValue) "
                + "| \(description.platforms.map(\.rawValue).joined(separator: ", ")) | \(description.summary) |\n"
        }
        return text
    }

    /// The catalog as JSON (`haaudit rules --format json`).
    public static func json(_ rules: [any Rule]) -> String {
        JSONValue.array(rules.map { rule in
            let description = rule.description
            return .object([
                ("code", .string(description.code)),
                ("name", .string(description.name)),
                ("category", .string(description.category.rawValue)),
                ("severity", .string(description.severity.rawValue)),
                ("platforms", .array(description.platforms.map { .string($0.rawValue) })),
                ("summary", .string(description.summary)),
                ("parameters", .object(description.parameters.map { ($0.name, .int($0.defaultValue)) })),
            ])
        }).rendered()
    }

    /// The catalog as aligned text (`haaudit rules`).
    public static func text(_ rules: [any Rule]) -> String {
        let width = rules.map(\.description.name.count).max() ?? 0
        return rules.map { rule in
            let description = rule.description
            let name = description.name.padding(to: width)
            let severity = description.severity.rawValue.padding(to: 8)
            let category = description.category.rawValue.padding(to: 10)
            return "\(description.code)  \(name)  \(category)  \(severity)  \(description.summary)\n"
        }.joined()
    }
}
