import ArgumentParser
import HAAuditKit

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@main
struct HAAuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "haaudit",
        abstract: "Audit deployment manifests for high availability before they merge.",
        discussion: """
            Reads Kubernetes manifests (YAML, JSON), CloudFormation templates and Service Fabric \
            and Cloud Services XML, lowers them into one topology model and checks availability \
            rules over it: single replicas, zone pinning, missing probes, databases without a \
            standby, alarms that wake nobody, and more. Start with `haaudit scan ./deploy`; \
            `haaudit rules` lists what is checked and `haaudit explain RULE` says why; \
            `haaudit simulate ./deploy --fail zone` shows what a zone loss leaves standing.

            Exit codes: 0 the gate passed; 1 the gate failed (a finding at or above --fail-on, or \
            the score below --min-score); 2 some input could not be audited (bad arguments, an \
            unreadable or unparseable file, an invalid policy).
            """,
        version: HAAudit.version,
        subcommands: [Scan.self, Rules.self, Explain.self, TopologyCommand.self, Simulate.self, Version.self]
    )

    /// Parses and runs like `ParsableCommand.main()`, except that bad arguments exit with 2,
    /// the code DESIGN gives every "could not run" case (ArgumentParser's own is 64), and that a
    /// report that cannot be written is an error rather than a silent loss or a SIGPIPE.
    static func main() {
        guardStandardDescriptors()
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            if exitCode(for: error) == .validationFailure {
                writeToStandardError(fullMessage(for: error) + "\n")
                exit(withError: ExitCode(2))
            }
            exit(withError: error)
        }
    }
}

func writeToStandardError(_ text: String) {
    var bytes = Array(text.utf8)
    _ = write(2, &bytes, bytes.count)
}

/// Severities, for `--fail-on` (`none` turns the finding gate off).
enum GateSeverity: ExpressibleByArgument {
    case severity(Severity)
    case none

    init?(argument: String) {
        if argument == "none" {
            self = .none
        } else if let severity = Severity(rawValue: argument) {
            self = .severity(severity)
        } else {
            return nil
        }
    }

    static var allValueStrings: [String] { Severity.allCases.map(\.rawValue) + ["none"] }

    /// The severity the gate fails on; nil for `none`.
    var severity: Severity? {
        if case .severity(let severity) = self { severity } else { nil }
    }

    var defaultValueDescription: String {
        switch self {
        case .severity(let severity): severity.rawValue
        case .none: "none"
        }
    }
}
