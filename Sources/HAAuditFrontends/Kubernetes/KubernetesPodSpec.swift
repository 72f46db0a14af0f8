import HAAuditModel
import HAAuditReaders

/// Lowers the parts of a pod spec that decide availability: containers with their probes and
/// ports, and where the scheduler may put the pods.
enum KubernetesPodSpec {
    static let zoneKeys: Set<String> = ["topology.kubernetes.io/zone", "failure-domain.beta.kubernetes.io/zone"]
    static let hostnameKey = "kubernetes.io/hostname"

    /// `mayServeTraffic`: whether the workload's shape serves traffic at all (DaemonSets and
    /// Jobs are not judged); then a container serves when it declares a port, or when a Service
    /// selects its pods (the linker adds those).
    static func container(_ node: Node, of object: KubernetesObject, mayServeTraffic: Bool) -> Container {
        let ports = (node["ports"]?.items ?? []).map { port in
            DeclaredPort(name: port["name"]?.string, number: port["containerPort"]?.int, location: object.location(port))
        }
        var container = Container(name: node["name"]?.string ?? "(unnamed)", location: object.location(node),
                                  servesTraffic: mayServeTraffic && !ports.isEmpty, supportsLivenessProbe: true)
        container.ports = ports
        container.isPlaceholder = isPlaceholder(node)
        container.hasSettingsOrMounts = ["env", "envFrom", "volumeMounts"].contains { node[$0]?.items.isEmpty == false }
        container.readiness = probe("readinessProbe", of: node, object)
        container.liveness = probe("livenessProbe", of: node, object)
        container.startup = probe("startupProbe", of: node, object)
        container.requests = requests(node, object)
        container.preStop = preStop(node, object)
        if let image = node.entry("image"), !image.value.isNull {
            let at = object.location(image.key)
            container.image = image.value.scalar.map { .known($0, at: at, source: "image") }
                ?? .unknown(at: at, source: "image", reason: "it is not a text")
        }
        return container
    }

    /// CPU and memory requests: `resources.requests`, or `resources.limits`, which Kubernetes
    /// copies into the requests when they are absent.
    private static func requests(_ container: Node, _ object: KubernetesObject) -> ResourceRequests {
        let entry = container.entry("resources")
        let anchor = entry.map { object.location($0.key) } ?? object.location(container)
        func asked(_ resource: String, source: String) -> Fact<Bool> {
            guard let resources = entry?.value, !resources.isNull else { return .known(false, at: anchor, source: source) }
            guard resources.isMapping else {
                return .unknown(at: anchor, source: source, reason: "'\(resources.scalar ?? "a list")' is not a mapping")
            }
            for section in ["requests", "limits"] {
                guard let amounts = resources.entry(section), !amounts.value.isNull else { continue }
                guard amounts.value.isMapping else {
                    return .unknown(at: object.location(amounts.key), source: source, reason: "'\(amounts.value.scalar ?? "a list")' is not a mapping")
                }
                if let amount = amounts.value.entry(resource), !amount.value.isNull {
                    return .known(true, at: object.location(amount.key), source: "resources.\(section).\(resource)")
                }
            }
            return .known(false, at: anchor, source: source)
        }
        return ResourceRequests(cpu: asked("cpu", source: "resources.requests.cpu"),
                                memory: asked("memory", source: "resources.requests.memory"))
    }

    /// `lifecycle.preStop`, with how long it sleeps when it sleeps: the `sleep` handler, or an
    /// exec command that runs `sleep N` (directly or in a shell script).
    private static func preStop(_ container: Node, _ object: KubernetesObject) -> PreStopHook? {
        guard let entry = container["lifecycle"]?.entry("preStop"), !entry.value.isNull else { return nil }
        let at = object.location(entry.key)
        let hook = entry.value
        if let sleep = hook.entry("sleep") {
            let seconds = object.intFact(sleep.value, "seconds", default: nil, source: "preStop.sleep.seconds", absentAt: at)
                ?? .unknown(at: object.location(sleep.key), source: "preStop.sleep.seconds", reason: "it is not set")
            return PreStopHook(handler: .sleep, location: at, sleepSeconds: seconds)
        }
        if let exec = hook.entry("exec") {
            let command = exec.value["command"]
            return PreStopHook(handler: .exec, location: at,
                               sleepSeconds: sleepSeconds(command?.items.compactMap(\.scalar) ?? [], at: command.map(object.location) ?? at))
        }
        return PreStopHook(handler: hook["httpGet"] != nil ? .httpGet : .unspecified, location: at, sleepSeconds: nil)
    }

    /// The seconds of the first `sleep` in a command (`["sleep", "15"]`, `["/bin/sh", "-c",
    /// "sleep 15 && nginx -s quit"]`); nil when it does not sleep.
    private static func sleepSeconds(_ command: [String], at location: SourceLocation) -> Fact<Int>? {
        let words = command.flatMap { $0.split(whereSeparator: { $0.isWhitespace || $0 == ";" || $0 == "&" || $0 == "|" }).map(String.init) }
        guard let index = words.firstIndex(where: { $0.split(separator: "/").last == "sleep" }) else { return nil }
        let source = "the preStop sleep"
        guard index + 1 < words.count, let seconds = durationSeconds(words[index + 1]) else {
            return .unknown(at: location, source: source, reason: "'\(index + 1 < words.count ? words[index + 1] : "")' is not a duration")
        }
        return .known(seconds, at: location, source: source)
    }

    /// `15`, `15s`, `2m`, `0.5`: seconds, rounded up.
    private static func durationSeconds(_ word: String) -> Int? {
        let units: [Character: Double] = ["s": 1, "m": 60, "h": 3600, "d": 86400]
        let (number, unit) = word.last.flatMap { units[$0] }.map { (word.dropLast(), $0) } ?? (Substring(word), 1)
        guard let value = Double(number), value >= 0, value < 1e9 else { return nil }
        return Int((value * unit).rounded(.up))
    }

    /// Programs and words of a command that only waits: `sleep infinity`, `tail -f /dev/null`,
    /// `while true; do sleep 3600; done`.
    private static let waitingWords: Set<String> = [
        "sleep", "infinity", "inf", "tail", "-f", "-F", "/dev/null", "exec", "while", "true", "do", "done", ":", ";", "&&",
    ]
    private static let shells: Set<String> = ["sh", "bash", "ash", "dash"]

    /// A container that only holds its place: the pause image, or a command that only sleeps
    /// or tails (image pre-pullers, debug shells).
    static func isPlaceholder(_ container: Node) -> Bool {
        let image = container["image"]?.string ?? ""
        let repository = image.split(separator: "@").first.map { $0.split(separator: "/").last ?? $0 } ?? ""
        if repository.split(separator: ":").first == "pause" { return true }
        var words = ((container["command"]?.items ?? []) + (container["args"]?.items ?? [])).compactMap(\.scalar)
        // `sh -c 'sleep infinity'`: the script's words.
        if let shell = words.first, shells.contains(String(shell.split(separator: "/").last ?? "")), words.dropFirst().first == "-c" {
            words = words.dropFirst(2).flatMap { $0.split(whereSeparator: \.isWhitespace).map(String.init) }
        }
        let programs = words.map { word -> String in
            let bare = word.hasSuffix(";") && word.count > 1 ? String(word.dropLast()) : word
            return bare == "/dev/null" ? bare : String(bare.split(separator: "/").last ?? "")
        }
        return programs.contains { $0 == "sleep" || $0 == "tail" }
            && programs.allSatisfy { waitingWords.contains($0) || isDuration($0) }
    }

    /// `3600`, `1d`, `1e9`: what `sleep` takes.
    private static func isDuration(_ word: String) -> Bool {
        let number = word.last.map { "smhd".contains($0) } == true ? word.dropLast() : Substring(word)
        return Double(number) != nil
    }

    /// A probe with the documented defaults for absent timing fields.
    private static let timingKeys = ["initialDelaySeconds", "periodSeconds", "timeoutSeconds", "failureThreshold", "successThreshold"]

    /// `readinessProbe.periodSeconds` and the like: the sources of each probe's timings, made
    /// once instead of five strings for every probe.
    private static let timingSources = Dictionary(uniqueKeysWithValues: ["readinessProbe", "livenessProbe", "startupProbe"].map { probe in
        (probe, timingKeys.map { "\(probe).\($0)" })
    })

    private static func probe(_ name: String, of container: Node, _ object: KubernetesObject) -> Probe? {
        guard let entry = container.entry(name), !entry.value.isNull else { return nil }
        let node = entry.value
        let at = object.location(entry.key)
        var handler = Probe.Handler.unspecified
        var port: PortReference?
        if let http = node["httpGet"] {
            port = object.portReference(http["port"])
            handler = .http(path: http["path"]?.string ?? "/", port: port?.value)
        } else if let tcp = node["tcpSocket"] {
            port = object.portReference(tcp["port"])
            handler = .tcp(port: port?.value)
        } else if let grpc = node["grpc"] {
            port = object.portReference(grpc["port"])
            handler = .grpc(port: port?.value)
        } else if let exec = node["exec"] {
            handler = .exec(exec["command"]?.items.compactMap(\.scalar) ?? [])
        }
        let sources = timingSources[name] ?? timingKeys
        func timing(_ index: Int, _ defaultValue: Int) -> Fact<Int> {
            object.intFact(node, timingKeys[index], default: defaultValue, source: sources[index], absentAt: at)!
        }
        return Probe(location: at, handler: handler, port: port,
                     initialDelaySeconds: timing(0, 0),
                     periodSeconds: timing(1, 10),
                     timeoutSeconds: timing(2, 1),
                     failureThreshold: timing(3, 3),
                     successThreshold: timing(4, 1))
    }

    static func placement(_ podSpec: Node?, of object: KubernetesObject, anchor: SourceLocation) -> Placement {
        var placement = Placement()
        placement.confinedZones = confinedZones(podSpec, of: object)
        var zoneSpread: SourceLocation?
        var nodeSpread: SourceLocation?
        for constraint in podSpec?["topologySpreadConstraints"]?.items ?? [] {
            guard let key = constraint["topologyKey"]?.scalar else { continue }
            if zoneKeys.contains(key) { zoneSpread = zoneSpread ?? object.location(constraint) }
            if key == hostnameKey { nodeSpread = nodeSpread ?? object.location(constraint) }
        }
        let antiAffinity = podSpec?[path: "affinity", "podAntiAffinity"]
        let required = antiAffinity?["requiredDuringSchedulingIgnoredDuringExecution"]?.items ?? []
        let preferred = (antiAffinity?["preferredDuringSchedulingIgnoredDuringExecution"]?.items ?? []).compactMap { $0["podAffinityTerm"] }
        for term in required + preferred {
            guard let key = term["topologyKey"]?.scalar else { continue }
            // Zone anti-affinity keeps replicas on different nodes too.
            if zoneKeys.contains(key) {
                zoneSpread = zoneSpread ?? object.location(term)
                nodeSpread = nodeSpread ?? object.location(term)
            }
            if key == hostnameKey { nodeSpread = nodeSpread ?? object.location(term) }
        }
        // Two pods that bind one host port cannot share a node: the scheduler spreads them.
        // With hostNetwork, every declared container port is a host port.
        let hostNetwork = podSpec?["hostNetwork"]?.bool == true
        for container in podSpec?["containers"]?.items ?? [] where nodeSpread == nil {
            if let port = container["ports"]?.items.first(where: { $0["hostPort"]?.int != nil || (hostNetwork && $0["containerPort"]?.int != nil) }) {
                nodeSpread = object.location(port)
            }
        }
        placement.spreadsOverZones = zoneSpread.map { .known(true, at: $0, source: "zone spreading") }
            ?? .known(false, at: anchor, source: "zone spreading")
        placement.spreadsOverNodes = nodeSpread.map { .known(true, at: $0, source: "node spreading") }
            ?? .known(false, at: anchor, source: "node spreading")
        return placement
    }

    /// The zones a nodeSelector or a required node affinity confines pods to, when they do.
    private static func confinedZones(_ podSpec: Node?, of object: KubernetesObject) -> Fact<[String]>? {
        for entry in podSpec?["nodeSelector"]?.entries ?? [] {
            if let key = entry.key.scalar, zoneKeys.contains(key), let zone = entry.value.string {
                return .known([zone], at: object.location(entry.key), source: "nodeSelector \(key)")
            }
        }
        let terms = podSpec?[path: "affinity", "nodeAffinity", "requiredDuringSchedulingIgnoredDuringExecution", "nodeSelectorTerms"]?.items ?? []
        guard !terms.isEmpty else { return nil }
        // Terms are ORed: pods are confined only when every term confines them.
        var zones: [String] = []
        var firstLocation: SourceLocation?
        for term in terms {
            var termZones: Set<String>?
            for expression in term["matchExpressions"]?.items ?? [] {
                guard let key = expression["key"]?.scalar, zoneKeys.contains(key), expression["operator"]?.scalar == "In" else { continue }
                let values = Set(expression["values"]?.items.compactMap(\.scalar) ?? [])
                termZones = termZones.map { $0.intersection(values) } ?? values
                firstLocation = firstLocation ?? object.location(expression)
            }
            guard let termZones else { return nil }
            zones.append(contentsOf: termZones.sorted().filter { !zones.contains($0) })
        }
        guard let firstLocation else { return nil }
        return .known(zones, at: firstLocation, source: "required node affinity on the zone")
    }
}
