/// A count written either as an integer or as a percentage (`minAvailable: 50%`).
public enum IntOrPercent: Sendable, Equatable, CustomStringConvertible {
    case count(Int)
    case percent(Int)

    public var description: String {
        switch self {
        case .count(let count): "\(count)"
        case .percent(let percent): "\(percent)%"
        }
    }

    /// The count this stands for out of `total`, rounding a percentage as Kubernetes does for
    /// the field at hand (up for disruption budgets, down for a rollout's maxUnavailable).
    public func resolved(against total: Int, roundingUp: Bool) -> Int {
        switch self {
        case .count(let count): return count
        case .percent(let percent):
            let scaled = total * percent
            return roundingUp ? (scaled + 99) / 100 : scaled / 100
        }
    }
}

extension IntOrPercent: TopologyDescribable {
    package var topologyDescription: JSONValue { .string(description) }
}
