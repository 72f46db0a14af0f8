import HAAuditModel
import HAAuditReaders

/// A baseline: the fingerprints of the findings a team accepted when it adopted haaudit, so that
/// only new findings are reported and judged by the gate (`--write-baseline`, `--baseline`).
public enum Baseline {
    /// The unsuppressed findings, by fingerprint, with enough context for a reviewer.
    public static func render(_ findings: [Finding]) -> String {
        var seen: Set<String> = []
        let entries = findings.filter { !$0.isSuppressed && seen.insert($0.fingerprint).inserted }.map { finding in
            JSONValue.object([
                ("fingerprint", .string(finding.fingerprint)),
                ("rule", .string(finding.ruleName)),
                ("component", .string(finding.component.id)),
                ("path", .string(finding.location.path)),
            ])
        }
        return JSONValue.object([("schemaVersion", 1), ("tool", "haaudit"), ("findings", .array(entries))]).rendered()
    }

    public static func read(_ path: String) throws(PolicyError) -> Set<String> {
        let failure = { (message: String, position: Position) in PolicyError(message: message, location: SourceLocation(path: path, position)) }
        let bytes = try YAMLFile.bytes(path, maxBytes: 64 << 20, what: "the baseline")
        let root: Node?
        do {
            root = try JSONReader(limits: ReaderLimits()).read(bytes).first
        } catch {
            throw failure(error.message, error.position)
        }
        guard let root, root["schemaVersion"]?.int == 1, let entries = root["findings"], entries.isSequence else {
            throw failure("not a haaudit baseline (schemaVersion 1 with findings)", Position(line: 1, column: 1))
        }
        return Set(entries.items.compactMap { $0["fingerprint"]?.string })
    }
}
