/// Renders rules' documentation from their descriptions: `haaudit explain`, `haaudit rules`, the
/// README table. The examples shown are the ones the tests run.
public enum RuleDocumentation {
    /// The full documentation of one rule, in Markdown with fixed sections.
    public static func explain(_ description: RuleDescription, severity: Severity? = nil) -> String {
        var text = "# \(description.name) (\(description.code))\n\n"
        text += "\(description.summary)\n\n"
        text += "Category: \(description.category.rawValue). Default severity: \(description.severity.rawValue)"
        if let severity, severity != description.severity { text += " (\(severity.rawValue) in this policy)" }
        text += ". Platforms: \(description.platforms.map(\.rawValue).joined(separator: ", ")).\n\n"
        text += "## Why it matters\n\n\(description.rationale)\n\n"
        text += "## How to fix\n\n\(description.remediation)\n\n"
        if !description.parameters.isEmpty {
            text += "## Parameters\n\n"
            for parameter in description.parameters {
                text += "- `\(parameter.name)` (default \(parameter.defaultValue)): \(parameter.summary)\n"
            }
            text += "\n"
        }
        if !description.notes.isEmpty {
            text += "## Notes\n\n" + description.notes.map { "- \($0)\n" }.joined() + "\n"
        }
        text += "## Examples\n"
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
