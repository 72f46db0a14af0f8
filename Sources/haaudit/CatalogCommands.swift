import ArgumentParser
import HAAuditKit

struct Rules: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List the rule catalog: code, name, category, severity, summary.")

    @Option(help: "Output format (markdown is the README's table).")
    var format: RulesFormat = .text

    enum RulesFormat: String, ExpressibleByArgument, CaseIterable {
        case text, json, markdown
    }

    func run() throws {
        let catalog = switch format {
        case .text: RuleDocumentation.text(RuleCatalog.all)
        case .json: RuleDocumentation.json(RuleCatalog.all)
        case .markdown: RuleDocumentation.markdownTable(RuleCatalog.all)
        }
        try emit(catalog, to: nil)
    }
}

struct Explain: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Show a rule's full documentation, with examples that trigger it and examples that pass.")

    @Argument(help: "The rule's name (single-replica) or code (HA101).")
    var rule: String

    func run() throws {
        guard let found = RuleCatalog.rule(named: rule) else {
            throw ValidationError("no rule named '\(rule)'; `haaudit rules` lists them")
        }
        try emit(RuleDocumentation.explain(found.description), to: nil)
    }
}

struct TopologyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "topology",
        abstract: "Print the topology model haaudit builds from the manifests (components, facts, relationships).")

    @OptionGroup var input: InputOptions

    @Option(help: "Output format: the model as JSON, or a graph (Mermaid, Graphviz dot) coloured by each component's worst finding.")
    var format: TopologyFormat = .json

    enum TopologyFormat: String, ExpressibleByArgument, CaseIterable {
        case json, mermaid, dot
    }

    func run() throws {
        let result = try input.audit(input.configuration()).run(paths: input.paths)
        let report = switch format {
        case .json: TopologyReporter.render(result)
        case .mermaid: GraphReporter.mermaid(result)
        case .dot: GraphReporter.dot(result)
        }
        try emit(report, to: nil)
        if result.hasErrors { throw ExitCode(2) }
    }
}

struct Version: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print haaudit's version.")

    func run() throws {
        try emit(HAAudit.version + "\n", to: nil)
    }
}
