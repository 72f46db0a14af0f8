public enum Platform: String, Sendable, CaseIterable {
    case kubernetes, cloudformation, servicefabric, cloudservices
}

/// Something that can fail, or that controls how something else fails (DESIGN section 2).
///
/// A reference type, so that rules and relationships share one copy: a frontend builds and
/// changes it while it lowers and links; after that it is only read (which makes it safe to
/// share between the threads that run the rules). Most facets apply to few kinds of component,
/// so each is boxed: a component costs a few hundred bytes whatever it is.
public final class Component: @unchecked Sendable, Identifiable {
    public enum Role: Sendable, Equatable {
        case workload(WorkloadShape)
        case datastore
        case traffic
        case control
        /// Subnets and other network plumbing that other components run in.
        case network
    }

    /// How a workload's instances are meant to run, which decides the rules that apply.
    public enum WorkloadShape: String, Sendable {
        /// Long-running and replicated by a controller (Deployment, StatefulSet, ASG, ...).
        case service
        /// One instance per node (DaemonSet, Service Fabric InstanceCount -1).
        case perNode
        /// Runs to completion (Job, CronJob).
        case batch
        /// A lone instance that nothing recreates (a bare Pod, an EC2 instance).
        case standalone
    }

    /// Stable identity, e.g. `k8s:shop/Deployment/web`.
    public var id: String
    /// `metadata.name`, logical ID, SF service name or CS role name.
    public var name: String
    /// The platform's kind: `Deployment`, `AWS::AutoScaling::AutoScalingGroup`, ...
    public var kind: String
    public var platform: Platform
    public var namespace: String?
    /// True when the manifest does not name the namespace: it is decided when the manifest is
    /// applied (`kubectl apply -n`, kustomize), and `namespace` holds the default.
    public var namespaceIsImplicit = false
    public var role: Role
    /// The object itself: where findings about absent values anchor.
    public var location: SourceLocation
    /// The profile (parameter set) this component was lowered under, for SF and CS.
    public var profile: String?

    @Boxed public var instances: Instances?
    @Boxed public var placement: Placement?
    @Boxed public var recovery: Fact<Recovery>?
    public var containers: [Container] = []
    /// Labels of the pods (or instances) this workload creates, which selectors match.
    public var podLabels: [String: String]?
    @Boxed public var service: ServiceFacet?
    @Boxed public var ingress: IngressFacet?
    @Boxed public var autoscaler: AutoscalerFacet?
    @Boxed public var disruptionBudget: DisruptionBudgetFacet?
    @Boxed public var rollout: Rollout?
    /// What must hold for a data store to survive losing a node: a standby, enough replicas.
    public var standbyRequirements: [Requirement] = []
    /// What must hold for a data store to keep automated backups.
    public var backupRequirements: [Requirement] = []
    /// The health checks that decide when instances are replaced (an Auto Scaling group's
    /// HealthCheckType: EC2, ELB, ...).
    @Boxed public var replacementHealthChecks: Fact<[String]>?
    @Boxed public var loadBalancer: LoadBalancerFacet?
    @Boxed public var targetHealthCheck: TargetHealthCheckFacet?
    @Boxed public var alarm: AlarmFacet?
    @Boxed public var natGateway: NatGatewayFacet?
    @Boxed public var failover: FailoverFacet?
    /// Whether operators expect a CloudWatch alarm on it (AWS compute and data components).
    public var expectsAlarm = false
    /// The zone a subnet (or another zonal network object) is in.
    @Boxed public var zone: Fact<String>?
    /// Whether a disruption budget is the way to protect this workload from voluntary evictions
    /// (Kubernetes Deployments and StatefulSets).
    public var supportsDisruptionBudget = false
    /// Rules the manifest's author silenced on this object, by rule name, with the reason given.
    public var suppressions: [String: Suppression] = [:]
    /// Where it is in the topology it was added to, so that its relationships are found
    /// without hashing its id; -1 until it is added.
    var topologyIndex = -1

    /// Whether it has a disruption budget, Ingress or autoscaler facet, each of which names other
    /// objects; asked of every component while linking, so it copies no facet.
    var namesOtherObjects: Bool { _disruptionBudget.isPresent || _ingress.isPresent || _autoscaler.isPresent }

    /// Whether it has a Service facet, without copying it out.
    var isService: Bool { _service.isPresent }

    public init(id: String, name: String, kind: String, platform: Platform, namespace: String?,
                role: Role, location: SourceLocation) {
        self.id = id
        self.name = name
        self.kind = kind
        self.platform = platform
        self.namespace = namespace
        self.role = role
        self.location = location
    }

    /// "Deployment shop/web": how messages name a component.
    public var title: String { Self.title(kind: kind, namespace: namespace, name: name) }

    /// The title and, for a Service Fabric or Cloud Services component (one exists per
    /// profile), the profile: "StatelessService Cart [profile Cloud]".
    public var profiledTitle: String { title + Self.profileSuffix(profile) }

    static func title(kind: String, namespace: String?, name: String) -> String {
        namespace.map { "\(kind) \($0)/\(name)" } ?? "\(kind) \(name)"
    }

    static func profileSuffix(_ profile: String?) -> String {
        profile.map { " [profile \($0)]" } ?? ""
    }

    public var workloadShape: WorkloadShape? {
        if case .workload(let shape) = role { return shape }
        return nil
    }
}

/// An optional value stored out of line: eight bytes in the enclosing struct while it is nil,
/// and shared (never mutated in place) when it is not.
@propertyWrapper
public struct Boxed<Value: Sendable>: Sendable {
    private final class Storage: Sendable {
        let value: Value

        init(_ value: Value) {
            self.value = value
        }
    }

    private var storage: Storage?

    public init(wrappedValue: Value?) {
        storage = wrappedValue.map(Storage.init)
    }

    public var wrappedValue: Value? {
        get { storage?.value }
        set { storage = newValue.map(Storage.init) }
    }

    /// Whether there is a value, without copying it out (facets are large).
    var isPresent: Bool { storage != nil }
}

public struct Suppression: Sendable, Hashable {
    public var reason: String?
    public var location: SourceLocation
    /// Set for ignores from the configuration file rather than from the manifest itself.
    public var isExternal = false
}

/// How many instances run, after autoscaling.
public struct Instances: Sendable {
    /// The fewest instances that run in normal operation: an autoscaler's minimum wins over a
    /// fixed count, because the autoscaler may scale down to it.
    public var minimum: Fact<Int>
    /// The count written on the workload itself.
    public var desired: Fact<Int>
    public var maximum: Fact<Int>?

    /// Whether more than one instance runs in normal operation.
    public var isReplicated: Bool {
        (minimum.value ?? 0) >= 2 || (desired.value ?? 0) >= 2
    }
}

/// Where instances may run.
public struct Placement: Sendable {
    /// The zones every instance is confined to, when a selector or affinity pins them.
    public var confinedZones: Fact<[String]>?
    /// Whether the author asked the scheduler to spread instances over zones (K8s only).
    public var spreadsOverZones: Fact<Bool>?
    /// Whether the author asked the scheduler to spread instances over nodes (K8s only).
    public var spreadsOverNodes: Fact<Bool>?
}

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

/// A unit with its own health signals: a container, a role.
public struct Container: Sendable {
    public var name: String
    public var location: SourceLocation
    public var ports: [DeclaredPort] = []
    @Boxed public var readiness: Probe?
    @Boxed public var liveness: Probe?
    @Boxed public var startup: Probe?
    /// Whether it is expected to serve traffic, and so to say when it is ready.
    public var servesTraffic: Bool
    /// Whether its platform restarts it when a liveness probe fails, and so whether it should
    /// declare one (ECS health checks and Cloud Services probes only decide traffic).
    public var supportsLivenessProbe: Bool

    public init(name: String, location: SourceLocation, servesTraffic: Bool, supportsLivenessProbe: Bool) {
        self.name = name
        self.location = location
        self.servesTraffic = servesTraffic
        self.supportsLivenessProbe = supportsLivenessProbe
    }

    public func declares(_ port: PortReference) -> Bool {
        switch port.value {
        case .name(let name): ports.contains { $0.name == name }
        case .number(let number): ports.contains { $0.number == number }
        }
    }
}

public struct DeclaredPort: Sendable {
    public var name: String?
    public var number: Int?
    public var location: SourceLocation
}

/// A port written either by number or by the name of a declared port.
public struct PortReference: Sendable {
    public enum Value: Sendable, Hashable {
        case number(Int)
        case name(String)
    }

    public var value: Value
    public var location: SourceLocation

    public var text: String {
        switch value {
        case .number(let number): "\(number)"
        case .name(let name): name
        }
    }
}

public struct Probe: Sendable {
    public enum Handler: Sendable, Equatable {
        case http(path: String, port: PortReference.Value?)
        case tcp(port: PortReference.Value?)
        case grpc(port: PortReference.Value?)
        case exec([String])
        case unspecified
    }

    /// The probe's key (`livenessProbe:`).
    public var location: SourceLocation
    public var handler: Handler
    /// The port the handler names, with where it was written.
    public var port: PortReference?
    public var initialDelaySeconds: Fact<Int>
    public var periodSeconds: Fact<Int>
    public var timeoutSeconds: Fact<Int>
    public var failureThreshold: Fact<Int>
    public var successThreshold: Fact<Int>

    /// Seconds after start before the probe gives up on an instance that never answers:
    /// initialDelay + period × failureThreshold.
    public var secondsToFailure: Int? {
        guard let delay = initialDelaySeconds.value, let period = periodSeconds.value,
              let threshold = failureThreshold.value else { return nil }
        return delay + period * threshold
    }

    /// Same handler and same thresholds.
    public func isIdentical(to other: Probe) -> Bool {
        handler == other.handler
            && initialDelaySeconds.value == other.initialDelaySeconds.value
            && periodSeconds.value == other.periodSeconds.value
            && timeoutSeconds.value == other.timeoutSeconds.value
            && failureThreshold.value == other.failureThreshold.value
            && successThreshold.value == other.successThreshold.value
    }
}

/// A Kubernetes label selector: matchLabels and matchExpressions, all ANDed.
public struct LabelSelector: Sendable, Hashable {
    public enum Operator: String, Sendable, Hashable {
        case `in` = "In", notIn = "NotIn", exists = "Exists", doesNotExist = "DoesNotExist"
    }

    public struct Requirement: Sendable, Hashable {
        public var key: String
        public var op: Operator
        public var values: [String]
    }

    public var matchLabels: [String: String]
    public var requirements: [Requirement]

    public init(matchLabels: [String: String] = [:], requirements: [Requirement] = []) {
        self.matchLabels = matchLabels
        self.requirements = requirements
    }

    /// An empty selector selects everything (PDB) or nothing (Service); callers decide.
    public var isEmpty: Bool { matchLabels.isEmpty && requirements.isEmpty }

    public func matches(_ labels: [String: String]) -> Bool {
        for (key, value) in matchLabels where labels[key] != value { return false }
        for requirement in requirements {
            let value = labels[requirement.key]
            switch requirement.op {
            case .in: guard let value, requirement.values.contains(value) else { return false }
            case .notIn: if let value, requirement.values.contains(value) { return false }
            case .exists: if value == nil { return false }
            case .doesNotExist: if value != nil { return false }
            }
        }
        return true
    }

    public var description: String {
        let labels = matchLabels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        let expressions = requirements.map { requirement -> String in
            switch requirement.op {
            case .exists: requirement.key
            case .doesNotExist: "!\(requirement.key)"
            case .in, .notIn: "\(requirement.key) \(requirement.op == .in ? "in" : "notin") (\(requirement.values.joined(separator: ",")))"
            }
        }
        return (labels + expressions).joined(separator: ",")
    }
}

/// A Kubernetes Service: what it selects and the ports it forwards.
public struct ServiceFacet: Sendable {
    public struct Port: Sendable {
        public var name: String?
        public var port: Int?
        public var targetPort: PortReference?
        public var location: SourceLocation
    }

    /// Nil for a Service without a selector (its endpoints are managed by hand).
    public var selector: LabelSelector?
    public var selectorLocation: SourceLocation?
    public var ports: [Port]
    public var type: String
    /// When the selector selects nothing in its own namespace: the workloads it would select in
    /// others (a namespace mix-up).
    public var matchesInOtherNamespaces: [String] = []
}

/// An Ingress: the Services it routes to.
public struct IngressFacet: Sendable {
    public struct Backend: Sendable {
        public var serviceName: String
        public var port: PortReference?
        public var location: SourceLocation
    }

    public var backends: [Backend]
}

/// A HorizontalPodAutoscaler (or any autoscaler targeting a workload by name).
public struct AutoscalerFacet: Sendable {
    public var targetKind: String
    public var targetName: String
    public var targetLocation: SourceLocation
    /// Whether the target's kind is one the frontend models, so that a missing target is known
    /// to be missing rather than, say, a custom resource of an operator.
    public var targetKindIsModelled: Bool
    public var minReplicas: Fact<Int>
    public var maxReplicas: Fact<Int>?
}

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

/// A PodDisruptionBudget.
public struct DisruptionBudgetFacet: Sendable {
    public var selector: LabelSelector
    public var selectorLocation: SourceLocation
    public var minAvailable: Fact<IntOrPercent>?
    public var maxUnavailable: Fact<IntOrPercent>?
    /// When the selector selects nothing in its own namespace: what it would select in others.
    public var matchesInOtherNamespaces: [String] = []
}

/// How a workload replaces its instances on an update.
public struct Rollout: Sendable {
    public enum Strategy: String, Sendable {
        /// Instances are replaced a few at a time (RollingUpdate).
        case rolling
        /// Every instance is stopped before the new ones start (Recreate).
        case recreate
        /// Instances are replaced only when someone deletes them (StatefulSet OnDelete).
        case manual
        /// The platform rolls on without watching health (Service Fabric UnmonitoredAuto).
        case unmonitored
    }

    public var strategy: Fact<Strategy>
    /// How many instances a rolling update may take down at once.
    public var maxUnavailable: Fact<IntOrPercent>?

    public init(strategy: Fact<Strategy>, maxUnavailable: Fact<IntOrPercent>? = nil) {
        self.strategy = strategy
        self.maxUnavailable = maxUnavailable
    }
}

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

/// A load balancer: whether it balances across zones.
public struct LoadBalancerFacet: Sendable {
    /// `application`, `network`, `gateway` or `classic`.
    public var type: String
    public var crossZone: Fact<Bool>
}

/// How a load balancer's target group decides an instance is healthy.
public struct TargetHealthCheckFacet: Sendable {
    public var protocolName: Fact<String>
    public var path: Fact<String>
}

/// A CloudWatch alarm.
public struct AlarmFacet: Sendable {
    /// Where `AlarmActions` is written (the alarm itself when absent).
    public var actions: Fact<[String]>
    public var actionsEnabled: Fact<Bool>
    /// Whether one of its actions is EC2's recover action (`arn:aws:automate:<region>:ec2:recover`).
    public var recovers: Bool
}

/// A NAT gateway and the private subnets whose default route goes through it.
public struct NatGatewayFacet: Sendable {
    public struct RoutedSubnet: Sendable {
        public var subnet: String
        public var zone: Fact<String>
        /// The route (`0.0.0.0/0` to this gateway) that carries the subnet's traffic.
        public var route: SourceLocation
    }

    public var isRegional: Bool
    public var zone: Fact<String>?
    public var routedSubnets: [RoutedSubnet]
}

/// A DNS failover record.
public struct FailoverFacet: Sendable {
    public var isPrimary: Bool
    public var role: SourceLocation
    /// Where the record's health signal is written: HealthCheckId, or an alias's
    /// EvaluateTargetHealth; nil when it has none.
    public var healthSignal: Fact<Bool>
    /// The record of the other role with the same name and type, when there is one.
    public var partner: String?
}
