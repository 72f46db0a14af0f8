import HAAuditModel

/// Where AWS resources run: the zones a list of zone names or of subnets gives, and the zone of
/// a subnet (its `AvailabilityZone`, or `AvailabilityZoneId`).
enum AWSPlacement {
    struct Unresolved: Error {
        var message: String
    }

    /// The zones a list of zone names gives; nil where absent or where it stands for every zone.
    static func zoneNames(_ properties: some AWSResourceProperties, _ path: String...) -> Fact<[String]>? {
        zones(properties, path, zoneOf: zoneName)
    }

    /// The zones a list of subnets (or of `SubnetMappings`) gives; each subnet named also
    /// becomes a `runs-in` relationship.
    static func subnetZones(_ properties: some AWSResourceProperties, _ path: String...,
                            relationships: inout [AWSRelationship]) -> Fact<[String]>? {
        var runsIn: [AWSRelationship] = []
        let zones = zones(properties, path, zoneOf: { subnetZone($0, in: properties) }) { item, at in
            if let subnet = subnetID(item) { runsIn.append(AWSRelationship(kind: .runsIn, from: properties.id, to: subnet, at: at)) }
        }
        relationships += runsIn
        return zones
    }

    /// The subnet a single `SubnetId` names, as a fact of its zone, and as a `runs-in` relationship.
    static func subnet(_ properties: some AWSResourceProperties, relationships: inout [AWSRelationship]) -> Fact<String>? {
        guard let found = properties.property(["SubnetId"]) else { return nil }
        if let subnet = subnetID(found.value) {
            relationships.append(AWSRelationship(kind: .runsIn, from: properties.id, to: subnet, at: found.key))
        }
        return switch subnetZone(found.value, in: properties) {
        case .success(let zone): .known(zone, at: found.key, source: "SubnetId")
        case .failure(let reason): .unknown(at: found.key, source: "SubnetId", reason: reason.message)
        }
    }

    /// Where an instance runs, told apart from elsewhere: its zone when it is known (of its
    /// subnet, its first network interface's, or its `AvailabilityZone`), else its subnet when
    /// that is named (a subnet parameter, whose zone comes at deploy time); nil otherwise.
    static func instancePlacement(_ instance: some AWSResourceProperties) -> String? {
        let subnet = instance.property(["SubnetId"]) ?? instance.objects(["NetworkInterfaces"])?.items.first?.property(["SubnetId"])
        guard let subnet else { return instance.property(["AvailabilityZone"]).flatMap { try? zoneName($0.value).get() } }
        if let zone = try? subnetZone(subnet.value, in: instance).get() { return zone }
        return switch subnet.value {
        case .resource(let id, nil), .text(let id): "subnet \(id) (zone unknown)"
        case .parameter(let name): "subnet parameter \(name) (zone unknown)"
        default: nil
        }
    }

    /// A subnet's own zone.
    static func zone(ofSubnet subnet: some AWSResourceProperties) -> Fact<String> {
        guard case .success(let zone) = subnetZone(.resource(subnet.id, attribute: nil), in: subnet) else {
            return .unknown(at: subnet.location, source: "AvailabilityZone", reason: "the subnet names no zone that can be resolved")
        }
        let key = subnet.property(["AvailabilityZone"]) ?? subnet.property(["AvailabilityZoneId"])
        return .known(zone, at: key?.key ?? subnet.location, source: "AvailabilityZone", note: key?.note)
    }

    /// The zones a list property resolves to, each item's through `zoneOf`. Known when every
    /// item resolves; when some do not but two distinct zones are already known, those are
    /// enough to say the resource is not confined to one zone; and exactly one subnet or zone
    /// is one zone, whichever it is. `visit` sees each item, with where the list is written.
    private static func zones(_ properties: some AWSResourceProperties, _ path: [String],
                              zoneOf: (AWSValue) -> Result<String, Unresolved>,
                              visit: (AWSValue, SourceLocation) -> Void = { _, _ in }) -> Fact<[String]>? {
        guard let found = properties.property(path) else { return nil }
        let key = path.joined(separator: ".")
        var known: Set<String> = []
        var unknown: [String] = []
        let items: [AWSValue]
        switch found.value {
        case .list(let values): items = values
        case .everyZone: return nil // not confined
        case .unknown(let reason): return .unknown(at: found.key, source: key, reason: reason)
        case let single: items = [single]
        }
        if items.count == 1, let one = oneSubnetOrZone(items[0]) {
            visit(items[0], found.key)
            let zone = (try? zoneOf(items[0]).get()) ?? "the zone of \(one)"
            return .known([zone], at: found.key, source: key, note: found.note)
        }
        for item in items {
            visit(item, found.key)
            switch zoneOf(item) {
            case .success(let zone): known.insert(zone)
            case .failure(let reason): unknown.append(reason.message)
            }
        }
        if unknown.isEmpty || known.count >= 2 {
            return .known(known.sorted(), at: found.key, source: key, note: found.note)
        }
        return .unknown(at: found.key, source: key, reason: unknown.joined(separator: "; "))
    }

    /// What an item names when it certainly names one subnet or one zone; nil where it may
    /// stand for several (an imported or split list, an output of a nested stack).
    private static func oneSubnetOrZone(_ value: AWSValue) -> String? {
        switch value {
        case .resource(let id, nil): id
        case .object(let field): field("SubnetId")?.resourceID ?? "a subnet mapping"
        case .text(let text) where !text.contains(","): text
        case .unnamedZone(let name): name
        case .parameter(let name): "parameter \(name)"
        default: nil
        }
    }

    /// A zone parameter without a default is a zone of its own: a template that asks for two
    /// zones under two names asks for two zones, as `Fn::Select` of two indexes does.
    private static func zoneName(_ value: AWSValue) -> Result<String, Unresolved> {
        switch value {
        case .text(let name), .unnamedZone(let name): .success(name)
        case .parameter(let name): .success("the zone of parameter \(name)")
        case .unknown: .failure(Unresolved(message: value.unknownReason!))
        default: .failure(Unresolved(message: "a zone that cannot be resolved"))
        }
    }

    /// The subnet a list item names: a reference, or a `SubnetMappings` entry's `SubnetId`.
    static func subnetID(_ value: AWSValue) -> String? {
        switch value {
        case .resource(let id, nil): id
        case .object(let field): field("SubnetId")?.resourceID
        default: nil
        }
    }

    /// The zone of a subnet declared alongside `properties`.
    static func subnetZone(_ value: AWSValue, in properties: some AWSResourceProperties) -> Result<String, Unresolved> {
        switch value {
        case .resource(let id, nil):
            guard let subnet = properties.resource(id), subnet.type == "AWS::EC2::Subnet" else {
                return .failure(Unresolved(message: "\(id) is not a subnet of this template"))
            }
            guard let zone = subnet.property(["AvailabilityZone"]) ?? subnet.property(["AvailabilityZoneId"]) else {
                return .failure(Unresolved(message: "subnet \(id) names no zone, so EC2 picks one"))
            }
            return zoneName(zone.value).mapError { Unresolved(message: "the zone of subnet \(id): \($0.message)") }
        case .object(let field):
            guard let id = field("SubnetId") else { return .failure(Unresolved(message: "a subnet mapping without SubnetId")) }
            return subnetZone(id, in: properties)
        case .text(let text):
            return .failure(Unresolved(message: "subnet \(text) is not defined in the scanned template"))
        case .unknown, .parameter:
            return .failure(Unresolved(message: value.unknownReason!))
        default:
            return .failure(Unresolved(message: "a subnet that cannot be resolved"))
        }
    }
}
