import HAAuditModel
import HAAuditReaders

/// Conditions, and the evaluation state they share with mapping lookups: the work budget,
/// computing each once per template, and cycles.
extension Template {
    /// Whether a named condition holds, or nil when it cannot be resolved.
    func condition(_ name: String) -> Bool? {
        withOwnBudget(overBudget: nil) { conditionNamed(name, depth: 0) }
    }

    func conditionNamed(_ name: String, depth: Int) -> Bool? {
        guard let entry = conditions[name] else { return nil }
        return once("condition \(name)", definedAt: entry.key, in: \.conditions, cycle: nil, overBudget: nil) {
            conditionValue(entry.value, depth: depth + 1)
        }
    }

    private func conditionValue(_ node: Node, depth: Int) -> Bool? {
        guard depth < 64, takeStep() else { return nil }
        if let flag = node.bool { return flag }
        guard let (name, argument) = Self.intrinsic(node) else { return nil }
        switch name {
        case "Condition": return argument.scalar.flatMap { conditionNamed($0, depth: depth + 1) }
        case "Fn::Not": return argument.items.first.flatMap { conditionValue($0, depth: depth + 1) }.map(!)
        case "Fn::And", "Fn::Or":
            let values = argument.items.map { conditionValue($0, depth: depth + 1) }
            if name == "Fn::And" {
                if values.contains(false) { return false }
                return values.contains(nil) ? nil : true
            }
            if values.contains(true) { return true }
            return values.contains(nil) ? nil : false
        case "Fn::Equals":
            let sides = argument.items.map { resolve($0, depth: depth + 1).value.text }
            guard sides.count == 2, let left = sides[0], let right = sides[1] else { return nil }
            return left == right
        default: return nil
        }
    }

    // MARK: Evaluation state

    /// Runs `body` with a work budget of its own, then gives the caller's back. A result
    /// reached after the budget ran out is incomplete: `overBudget` stands for it.
    func withOwnBudget<Result>(overBudget: Result, _ body: () -> Result) -> Result {
        let callers = memory.remainingWork
        memory.remainingWork = Self.workBudget
        defer { memory.remainingWork = callers }
        let result = body()
        return memory.remainingWork < 0 ? overBudget : result
    }

    /// Spends one step of the budget; false once it is spent.
    func takeStep() -> Bool {
        memory.remainingWork -= 1
        return memory.remainingWork >= 0
    }

    /// Computes a condition or mapping lookup once per template. Meeting it again while it is
    /// being computed is a cycle: every member of the cycle is then `cycle` (unknown), with an
    /// info diagnostic naming the cycle at the definition of the one met again.
    func once<Result>(_ name: String, definedAt definition: Node,
                              in cache: ReferenceWritableKeyPath<EvaluationMemory, [String: Result]>,
                              cycle: Result, overBudget: Result, compute: () -> Result) -> Result {
        if let known = memory[keyPath: cache][name] { return known }
        if let start = memory.inProgress.firstIndex(of: name) {
            let members = memory.inProgress[start...]
            memory.cyclic.formUnion(members)
            report(.info, "\((members + [name]).joined(separator: " -> ")) is a cycle; it is evaluated as unknown", at: definition)
            return cycle
        }
        memory.inProgress.append(name)
        var result = withOwnBudget(overBudget: overBudget, compute)
        memory.inProgress.removeLast()
        if memory.cyclic.contains(name) { result = cycle }
        memory[keyPath: cache][name] = result
        return result
    }

    func report(_ level: Diagnostic.Level, _ message: String, at node: Node) {
        let diagnostic = Diagnostic(level: level, message: message, location: document.location(node))
        if memory.reported.insert(diagnostic).inserted { memory.diagnostics.append(diagnostic) }
    }
}

/// A template's evaluation state: conditions and mapping lookups are computed once each, and
/// the one being computed is known, so that meeting it again is a cycle.
final class EvaluationMemory {
    var conditions: [String: Bool?] = [:]
    var lookups: [String: Template.Resolved] = [:]
    /// The conditions and lookups being computed, outermost first.
    var inProgress: [String] = []
    /// Members of cycles found: their results are unknown.
    var cyclic: Set<String> = []
    var remainingWork = Template.workBudget
    var diagnostics: [Diagnostic] = []
    var reported: Set<Diagnostic> = []
}
