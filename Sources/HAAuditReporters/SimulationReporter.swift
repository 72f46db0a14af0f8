import HAAuditEngine
import HAAuditModel

/// `haaudit simulate`: a table of what is left of each component, then the chains that carried
/// a failure from one component to another; or the same as JSON.
public enum SimulationReporter {
    public static func text(_ outcomes: [SimulatedComponent], simulation: Simulation, diagnostics: [Diagnostic]) -> String {
        var output = diagnostics.map { "\($0.location.startingALine) \($0.level.rawValue) \(Escaping.terminal($0.message))\n" }.joined()
        output += "Failure of \(Escaping.terminal(description(simulation)))\n\n"
        let rows = outcomes.map { outcome in
            [outcome.status.rawValue, instances(outcome), Escaping.terminal(outcome.component.profiledTitle),
             Escaping.terminal(outcome.component.location.description), Escaping.terminal(outcome.reasons.joined(separator: "; "))]
        }
        let header = ["STATUS", "INSTANCES", "COMPONENT", "WHERE", "WHY"]
        let widths = (0..<header.count - 1).map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
        for row in [header] + rows {
            let padded = zip(row.dropLast(), widths).map { $0.padding(to: $1) }
            output += (padded + [row.last!]).joined(separator: "  ").trimmingTrailingSpaces() + "\n"
        }
        let chained = outcomes.filter { !$0.chain.isEmpty }
        if !chained.isEmpty {
            output += "\nChains:\n"
            for outcome in chained {
                let titles = ([outcome.component] + outcome.chain).map { Escaping.terminal($0.profiledTitle) }
                output += "  \(titles.joined(separator: " -> ")) (\(outcome.status.rawValue))\n"
            }
        }
        let counts = SimulatedComponent.Status.allCases.map { status in
            "\(outcomes.filter { $0.status == status }.count) \(status.rawValue)"
        }
        output += "\n\(counted(outcomes.count, "component")): \(counts.joined(separator: ", "))\n"
        return output
    }

    public static func json(_ outcomes: [SimulatedComponent], simulation: Simulation, diagnostics: [Diagnostic]) -> String {
        let report: JSONValue = .object([
            ("schemaVersion", 1),
            ("scenario", .string(simulation.scenario.name)),
            ("zones", simulation.zones.map(JSONValue.int) ?? .null),
            ("components", .array(outcomes.map { outcome in
                .object([
                    ("id", .string(outcome.component.id)),
                    ("name", .string(outcome.component.name)),
                    ("kind", .string(outcome.component.kind)),
                    ("status", .string(outcome.status.rawValue)),
                    ("instancesBefore", outcome.instancesBefore.map(JSONValue.int) ?? .null),
                    ("instancesAfter", outcome.instancesAfter.map(JSONValue.int) ?? .null),
                    ("reasons", .array(outcome.reasons.map(JSONValue.string))),
                    ("chain", .array(outcome.chain.map { .string($0.id) })),
                    ("location", JSONReporter.location(outcome.component.location)),
                ])
            })),
            ("summary", .object(SimulatedComponent.Status.allCases.map { status in
                (status.rawValue, .int(outcomes.filter { $0.status == status }.count))
            })),
            ("diagnostics", .array(diagnostics.map(JSONReporter.diagnostic))),
        ])
        return report.rendered()
    }

    static func description(_ simulation: Simulation) -> String {
        let worstCase = ", worst case for each component"
        return switch simulation.scenario {
        case .zone: "one zone" + (simulation.zones.map { " of \($0)" } ?? "") + worstCase
        case .node: "one node" + worstCase
        case .instance: "one instance of each component" + worstCase
        case .component(let name): "\(name), and what it takes with it"
        }
    }

    private static func instances(_ outcome: SimulatedComponent) -> String {
        switch (outcome.instancesBefore, outcome.instancesAfter) {
        case (nil, _): "-"
        case (let before?, let after?): "\(before) -> \(after)"
        case (let before?, nil): "\(before) -> ?"
        }
    }
}

private extension String {
    func trimmingTrailingSpaces() -> String {
        var text = self
        while text.last == " " { text.removeLast() }
        return text
    }
}
