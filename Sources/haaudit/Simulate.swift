import ArgumentParser
import HAAuditKit

struct Simulate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Fail a zone, a node, an instance or one component, and show what stays up.",
        discussion: """
            Each component is judged in its own worst case: the zone that holds most of its \
            instances, the node that holds most of them. Failures travel along the relationships \
            of the topology model (a Service selecting a workload, an Ingress or target group \
            routing to it, a cluster depending on its members), and every component that goes \
            down because of another shows the chain. Where a fact the answer needs cannot be \
            resolved, the answer is unknown.

            Exit codes: 0 done; 1 with --fail-on-down when a component is down; 2 some input \
            could not be read, or no component has the name given to --fail.
            """)

    @OptionGroup var input: InputOptions

    @Option(help: ArgumentHelp("What fails: zone, node, instance, or one component by id, name, KIND/NAME or NAMESPACE/NAME.", valueName: "scenario"))
    var fail: String

    @Option(help: ArgumentHelp("How many zones the cluster spans, for workloads that spread over zones without naming them.", valueName: "count"))
    var zones: Int?

    @Option(help: "Output format.")
    var format: SimulationFormat = .text

    @Option(help: ArgumentHelp("Write the report to this file instead of standard output.", valueName: "file"))
    var output: String?

    @Flag(help: "Exit 1 when a component is down: a CI gate on the scenario.")
    var failOnDown = false

    enum SimulationFormat: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    func validate() throws {
        if let zones, zones < 1 { throw ValidationError("--zones takes a count of 1 or more") }
    }

    func run() throws {
        let (topology, diagnostics) = try input.audit(input.configuration()).topology(paths: input.paths)
        let simulation = Simulation(scenario: FailureScenario(fail), zones: zones)
        let outcomes: [SimulatedComponent]
        do {
            outcomes = try simulation.run(topology)
        } catch {
            writeToStandardError("error: \(Escaping.terminal(error.description))\n")
            throw ExitCode(2)
        }
        let report = switch format {
        case .text: SimulationReporter.text(outcomes, simulation: simulation, diagnostics: diagnostics)
        case .json: SimulationReporter.json(outcomes, simulation: simulation, diagnostics: diagnostics)
        }
        try emit(report, to: output)
        let anyDown = outcomes.contains { $0.status == .down }
        let hasErrors = diagnostics.contains { $0.level == .error }
        exitNow(hasErrors ? 2 : failOnDown && anyDown ? 1 : 0)
    }
}
