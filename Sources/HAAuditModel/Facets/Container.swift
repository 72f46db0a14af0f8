/// A unit with its own health signals: a container, a role.
public struct Container: Sendable {
    public var name: String
    public var location: SourceLocation
    public var ports: [DeclaredPort] = []
    @Boxed public var readiness: Probe?
    @Boxed public var liveness: Probe?
    @Boxed public var startup: Probe?
    /// Whether it is expected to serve traffic, and so to say when it is ready. Kubernetes: it
    /// declares a port, or a Service selects its pods (the linker says so).
    public var servesTraffic: Bool
    /// Whether it only holds its place (sleeps, tails /dev/null, runs the pause image): nothing
    /// in it can hang, so it needs no liveness probe.
    public var isPlaceholder = false
    /// Whether it is given settings or data to work with (Kubernetes: environment variables or
    /// volume mounts), as a client container set up to be exec'd into is.
    public var hasSettingsOrMounts = false
    /// Whether its platform restarts it when a liveness probe fails, and so whether it should
    /// declare one (ECS health checks and Cloud Services probes only decide traffic).
    public var supportsLivenessProbe: Bool
    /// Whether it requests CPU and memory of the scheduler (Kubernetes `resources.requests`, or
    /// `resources.limits`, which Kubernetes copies into absent requests); nil where the platform
    /// has no requests.
    public var requests: ResourceRequests?
    /// What runs before it is asked to stop (Kubernetes `lifecycle.preStop`); nil when nothing.
    public var preStop: PreStopHook?
    /// Seconds between the request to stop and the kill (Kubernetes: the pod's
    /// `terminationGracePeriodSeconds`, default 30); nil where the platform has no such setting.
    public var terminationGracePeriod: Fact<Int>?
    /// The image reference it runs (`registry:5000/team/app:1.2`), as written; nil when absent.
    public var image: Fact<String>?

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

    package init(name: String? = nil, number: Int? = nil, location: SourceLocation) {
        self.name = name
        self.number = number
        self.location = location
    }
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

    package init(value: Value, location: SourceLocation) {
        self.value = value
        self.location = location
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

    package init(
        location: SourceLocation,
        handler: Handler,
        port: PortReference? = nil,
        initialDelaySeconds: Fact<Int>,
        periodSeconds: Fact<Int>,
        timeoutSeconds: Fact<Int>,
        failureThreshold: Fact<Int>,
        successThreshold: Fact<Int>
    ) {
        self.location = location
        self.handler = handler
        self.port = port
        self.initialDelaySeconds = initialDelaySeconds
        self.periodSeconds = periodSeconds
        self.timeoutSeconds = timeoutSeconds
        self.failureThreshold = failureThreshold
        self.successThreshold = successThreshold
    }
}

/// Whether a container asks the scheduler for CPU and for memory: known true at the key that
/// asks, known false at the `resources` key (or the container) when neither requests nor
/// limits name it.
public struct ResourceRequests: Sendable {
    public var cpu: Fact<Bool>
    public var memory: Fact<Bool>

    package init(cpu: Fact<Bool>, memory: Fact<Bool>) {
        self.cpu = cpu
        self.memory = memory
    }
}

/// A hook that runs before a container is stopped, while its endpoints are being removed.
public struct PreStopHook: Sendable {
    public enum Handler: String, Sendable {
        case exec, httpGet, tcpSocket, sleep, unspecified
    }

    public var handler: Handler
    /// The `preStop:` key.
    public var location: SourceLocation
    /// How long it sleeps, when it is a sleep (`sleep.seconds`, or an exec command that runs
    /// `sleep N`); nil when it does something else.
    public var sleepSeconds: Fact<Int>?

    package init(handler: Handler, location: SourceLocation, sleepSeconds: Fact<Int>?) {
        self.handler = handler
        self.location = location
        self.sleepSeconds = sleepSeconds
    }
}

extension Container: TopologyDescribable {
    package var topologyDescription: JSONValue {
        var fields: [(String, JSONValue)] = [
            ("name", .string(name)),
            ("location", location.topologyDescription),
            ("servesTraffic", .bool(servesTraffic)),
            ("ports", .array(ports.map { port in
                .object([("name", .optional(port.name)), ("number", port.number.map(JSONValue.int) ?? .null)])
            })),
        ]
        if isPlaceholder { fields.append(("isPlaceholder", .bool(true))) }
        if hasSettingsOrMounts { fields.append(("hasSettingsOrMounts", .bool(true))) }
        for (name, probe) in [("readinessProbe", readiness), ("livenessProbe", liveness), ("startupProbe", startup)] {
            guard let probe else { continue }
            fields.append((name, probe.topologyDescription))
        }
        if let image { fields.append(("image", image.topologyDescription)) }
        if let requests {
            fields.append(("requests", .object([("cpu", requests.cpu.topologyDescription), ("memory", requests.memory.topologyDescription)])))
        }
        if let preStop {
            var hook: [(String, JSONValue)] = [("handler", .string(preStop.handler.rawValue)), ("location", preStop.location.topologyDescription)]
            if let sleep = preStop.sleepSeconds { hook.append(("sleepSeconds", sleep.topologyDescription)) }
            fields.append(("preStop", .object(hook)))
        }
        if let terminationGracePeriod { fields.append(("terminationGracePeriodSeconds", terminationGracePeriod.topologyDescription)) }
        return .object(fields)
    }
}

extension Probe: TopologyDescribable {
    package var topologyDescription: JSONValue {
        .object([
            ("location", location.topologyDescription),
            ("port", .optional(port?.text)),
            ("initialDelaySeconds", initialDelaySeconds.topologyDescription),
            ("periodSeconds", periodSeconds.topologyDescription),
            ("timeoutSeconds", timeoutSeconds.topologyDescription),
            ("failureThreshold", failureThreshold.topologyDescription),
        ])
    }
}
