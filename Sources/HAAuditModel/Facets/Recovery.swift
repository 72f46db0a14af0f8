/// What replaces a workload's instance when it dies.
public enum Recovery: Sendable, Equatable {
    /// A controller recreates it (ReplicaSet, StatefulSet, Auto Scaling group, ...).
    case controller(String)
    /// The platform recreates every instance, whatever the manifest says (Service Fabric, Cloud
    /// Services): nothing the author could leave out.
    case platform(String)
    /// Nothing does.
    case none
}

extension Recovery: TopologyDescribable {
    package var topologyDescription: JSONValue {
        switch self {
        case .controller(let kind), .platform(let kind): .string("controller: \(kind)")
        case .none: .string("none")
        }
    }
}
