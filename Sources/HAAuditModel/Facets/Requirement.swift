/// A condition a component must meet, over one fact: at least a count, or a flag that is on.
public enum Requirement: Sendable {
    case atLeast(Fact<Int>, Int)
    case isTrue(Fact<Bool>)
    /// Text that must equal a value, compared without regard to case (`BackupPolicy.Status: ENABLED`).
    case equals(Fact<String>, String)

    /// Where the value the requirement reads is used, when it was written elsewhere.
    public var usedAt: SourceLocation? {
        switch self {
        case .atLeast(let fact, _): fact.usedAt
        case .isTrue(let fact): fact.usedAt
        case .equals(let fact, _): fact.usedAt
        }
    }

    /// The fact when it fails the requirement, or is unknown; nil when it is met.
    public var unmet: (fact: String, location: SourceLocation, isUnknown: Bool)? {
        switch self {
        case .atLeast(let fact, let minimum):
            guard let value = fact.value else { return (fact.explained(), fact.location, true) }
            return value >= minimum ? nil : ("\(fact.explained()), fewer than \(minimum)", fact.location, false)
        case .isTrue(let fact):
            guard let value = fact.value else { return (fact.explained(), fact.location, true) }
            return value ? nil : (fact.explained(), fact.location, false)
        case .equals(let fact, let expected):
            guard let value = fact.value else { return (fact.explained(), fact.location, true) }
            return value.uppercased() == expected.uppercased() ? nil : ("\(fact.explained()), not \(expected)", fact.location, false)
        }
    }
}

extension Requirement: TopologyDescribable {
    package var topologyDescription: JSONValue {
        switch self {
        case .atLeast(let value, let minimum): .object([("atLeast", .int(minimum)), ("fact", value.topologyDescription)])
        case .isTrue(let value): .object([("isTrue", value.topologyDescription)])
        case .equals(let value, let expected): .object([("equals", .string(expected)), ("fact", value.topologyDescription)])
        }
    }
}
